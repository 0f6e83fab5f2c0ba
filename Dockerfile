# syntax=docker/dockerfile:1
# Build: install with the lockfile, build every package, keep the API's production dependencies.
FROM node:24-bookworm-slim AS build
WORKDIR /src
RUN npm install -g pnpm@10.34.9
# true: the web app can carry Vonage Conversations chats (adds nexmo-client, loaded only by those chats).
ARG VITE_CHAT_VONAGE=false
# true: the chat page can call from the browser through Vonage (adds the Vonage Client SDK, published
# under Vonage's terms of use, loaded only on the click). The sandbox's browser calls need none of it.
ARG VITE_VOICE_CLIENT=false
COPY . .
RUN pnpm install --frozen-lockfile \
 && pnpm build \
 && pnpm --filter @switchboard/api --prod deploy --legacy /out/api \
 && cp -r apps/web/dist /out/web-dist

# Run: API and web on one port, as an unprivileged user.
FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /out/api ./api
COPY --from=build --chown=node:node /out/web-dist ./web/dist
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "api/dist/main.js"]
