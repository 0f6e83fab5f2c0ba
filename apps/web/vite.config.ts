import vue from '@vitejs/plugin-vue';
import { defineConfig, type ProxyOptions } from 'vite';

const apiOrigin = process.env.API_ORIGIN ?? 'http://localhost:3000';

/** Matches the prefix itself and anything below it, but not `/apiary` for `/api`. */
function below(prefix: string): string {
  return `^${prefix}(?:[/?#]|$)`;
}

function toApi(options: ProxyOptions = {}): ProxyOptions {
  return { target: apiOrigin, ...options };
}

export default defineConfig({
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      [below('/api')]: toApi(),
      [below('/health')]: toApi(),
      [below('/webhooks')]: toApi(),
      [below('/support')]: toApi(),
      [below('/socket.io')]: toApi({ ws: true }),
    },
  },
});
