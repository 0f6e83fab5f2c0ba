#!/usr/bin/env node
// The reference of `pnpm bench:chat`: a bare socket.io relay, the same socket.io version as the API,
// with no authentication, no database and no adapter. It speaks just enough of the API's chat events
// for bench/chat.mjs to drive it with the same client code and load, so the difference between the
// two is what the API adds (auth per event, storing each message, the Postgres adapter, the inbox).
//
//   node bench/chat-relay.mjs [--port 0]     prints {"ready":true,"port":N} on stdout once listening
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { Server } from 'socket.io';

const { values: opts } = parseArgs({ options: { port: { type: 'string', default: '0' } } });

const httpServer = createServer();
const io = new Server(httpServer, { serveClient: false });
// One counter per conversation, like the API's `seq`, so the payload has the same shape and size.
const seqs = new Map();

io.on('connection', (socket) => {
  socket.on('conversation:join', (request, ack) => {
    const conversationId = String(request?.conversationId ?? '');
    socket.join(`conversation:${conversationId}`);
    ack?.({ ok: true, data: { messages: [], read: { customer: 0, agent: 0 } } });
  });

  socket.on('message:send', (request, ack) => {
    const conversationId = String(request?.conversationId ?? '');
    const seq = (seqs.get(conversationId) ?? 0) + 1;
    seqs.set(conversationId, seq);
    // A ChatMessage as the API sends it (the relay knows no users, so the author is anonymous).
    const message = {
      id: `${conversationId}-${seq}`,
      seq,
      conversationId,
      kind: 'text',
      author: { role: null, id: null, name: null },
      body: String(request?.body ?? ''),
      payload: {},
      clientId: request?.clientId ?? null,
      createdAt: new Date().toISOString(),
    };
    ack?.({ ok: true, data: { message, duplicate: false } });
    // To the whole room, sender included, as the API does; the sender's client ignores its own copy.
    io.to(`conversation:${conversationId}`).emit('message:new', message);
  });
});

httpServer.listen(Number(opts.port), '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ ready: true, port: httpServer.address().port }) + '\n');
});

const stop = () => io.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
