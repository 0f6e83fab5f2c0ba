import { Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import {
  type ChatAck,
  type ChatError,
  ChatEvent,
  type ChatMessage,
  ErrorCode,
  type JoinRequest,
  type ReadRequest,
  type RenewSessionRequest,
  type SendRequest,
  type SocketAuth,
  type TypingChanged,
  type TypingRequest,
  type ViewRequest,
} from '@switchboard/contracts';
import type { Server, Socket } from 'socket.io';
import { AccessTokens } from '../auth/access-tokens';
import { ApiException } from '../http/api-exception';
import { Metrics } from '../metrics/metrics';
import { AGENTS_ROOM, conversationRoom, CUSTOMERS_ROOM, Realtime, viewingRoom } from '../realtime/realtime';
import { ChatService, isSeq } from './chat.service';
import { SendRateLimit } from './send-rate-limit';
import { type SessionSocketState, SocketSessions } from './socket-sessions';

interface SocketState extends SessionSocketState {
  /** Messages: bursts of 10, then one a second. */
  sendLimit: SendRateLimit;
  /** Everything else (typing, join, read, renew): bursts of 20, then five a second. */
  eventLimit: SendRateLimit;
}

type ChatSocket = Socket<Record<string, never>, Record<string, never>, Record<string, never>, SocketState>;

/**
 * The live chat over socket.io. A socket authenticates at connection with a customer's chat session
 * or an agent's access token, lives as long as that session (`SocketSessions`), and every event is
 * authorised against the conversation it names. Every client → server event is acknowledged with
 * `{ ok, data }` or `{ ok: false, error }`, and rate-limited per socket. WebSocket transport only: no
 * HTTP long-polling, whose requests a load balancer would spread over instances that do not know them.
 */
@WebSocketGateway({ serveClient: false, transports: ['websocket'] })
export class ChatGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(ChatGateway.name);

  constructor(
    private readonly chat: ChatService,
    private readonly tokens: AccessTokens,
    private readonly fanout: Realtime,
    private readonly metrics: Metrics,
    private readonly sessions: SocketSessions,
  ) {}

  handleConnection(socket: ChatSocket): void {
    this.metrics.socketsConnected.inc();
    this.sessions.started(socket);
  }

  handleDisconnect(): void {
    this.metrics.socketsConnected.dec();
  }

  afterInit(server: Server): void {
    server.use((socket, next) => {
      const auth = socket.handshake.auth as Partial<SocketAuth> | undefined;
      const principal = this.tokens.verify(auth?.token);
      if (!principal) {
        next(new Error('unauthorized'));
        return;
      }
      (socket as ChatSocket).data = {
        principal,
        sendLimit: new SendRateLimit(),
        eventLimit: new SendRateLimit(20, 5),
      };
      // Agents' sockets get the live inbox unless they serve conversations only; customers only ever
      // hear about their own conversation.
      if (principal.role === 'customer') void socket.join(CUSTOMERS_ROOM);
      else if (auth?.inbox !== false) void socket.join(AGENTS_ROOM);
      next();
    });
    this.fanout.attach(server);
    this.sessions.attach(server);
  }

  @SubscribeMessage(ChatEvent.RenewSession)
  renew(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() request: RenewSessionRequest,
  ): Promise<ChatAck<{ expiresAt: string }>> {
    return this.acknowledge(socket.data.eventLimit, 'requests', async () =>
      this.sessions.renew(socket, request?.token),
    );
  }

  @SubscribeMessage(ChatEvent.Join)
  join(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() request: JoinRequest,
  ): Promise<ChatAck<{ messages: ChatMessage[]; read: { customer: number; agent: number } }>> {
    return this.acknowledge(socket.data.eventLimit, 'requests', async () => {
      const conversationId = String(request?.conversationId ?? '');
      const afterSeq = isSeq(request?.afterSeq) ? request.afterSeq : 0;
      // In the room before reading, so a message committed in between arrives live (the client
      // drops what it already has): reading first could miss it.
      await this.chat.authorize(socket.data.principal, conversationId);
      await socket.join(conversationRoom(conversationId));
      return this.chat.catchUp(socket.data.principal, conversationId, afterSeq);
    });
  }

  @SubscribeMessage(ChatEvent.Send)
  send(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() request: SendRequest,
  ): Promise<ChatAck<{ message: ChatMessage; duplicate: boolean }>> {
    return this.acknowledge(socket.data.sendLimit, 'messages', async () => {
      return this.chat.send(socket.data.principal, {
        conversationId: String(request?.conversationId ?? ''),
        clientId: String(request?.clientId ?? ''),
        body: typeof request?.body === 'string' ? request.body : '',
        fromSocket: socket.id,
      });
    });
  }

  @SubscribeMessage(ChatEvent.Typing)
  typing(
    @ConnectedSocket() socket: ChatSocket,
    @MessageBody() request: TypingRequest,
  ): Promise<ChatAck<null>> {
    return this.acknowledge(socket.data.eventLimit, 'requests', async () => {
      const conversationId = String(request?.conversationId ?? '');
      await this.chat.authorize(socket.data.principal, conversationId);
      const { principal } = socket.data;
      const change: TypingChanged = {
        conversationId,
        role: principal.role === 'customer' ? 'customer' : 'agent',
        name: principal.role === 'customer' ? null : principal.name,
        typing: request?.typing === true,
      };
      socket.to(conversationRoom(conversationId)).emit(ChatEvent.TypingChanged, change);
      return null;
    });
  }

  @SubscribeMessage(ChatEvent.View)
  view(@ConnectedSocket() socket: ChatSocket, @MessageBody() request: ViewRequest): Promise<ChatAck<null>> {
    return this.acknowledge(socket.data.eventLimit, 'requests', async () => {
      if (socket.data.principal.role === 'customer') {
        throw new ApiException(403, ErrorCode.Forbidden, 'Only agents can do this');
      }
      const ticketId = request?.ticketId === null ? null : String(request?.ticketId ?? '');
      if (ticketId !== null && !/^\d{1,18}$/.test(ticketId)) {
        throw new ApiException(400, ErrorCode.ValidationFailed, 'ticketId must be a ticket id or null');
      }
      for (const room of socket.rooms) if (room.startsWith(viewingRoom(''))) await socket.leave(room);
      if (ticketId !== null) await socket.join(viewingRoom(ticketId));
      return null;
    });
  }

  @SubscribeMessage(ChatEvent.Read)
  read(@ConnectedSocket() socket: ChatSocket, @MessageBody() request: ReadRequest): Promise<ChatAck<null>> {
    return this.acknowledge(socket.data.eventLimit, 'requests', async () => {
      await this.chat.read(
        socket.data.principal,
        String(request?.conversationId ?? ''),
        Number(request?.seq),
      );
      return null;
    });
  }

  /** Spends from the socket's budget for this kind of event, runs its work, and answers it. */
  private async acknowledge<T>(
    budget: SendRateLimit,
    what: 'messages' | 'requests',
    work: () => Promise<T>,
  ): Promise<ChatAck<T>> {
    try {
      const wait = budget.take();
      if (wait > 0) {
        throw new ApiException(
          429,
          ErrorCode.ChatRateLimited,
          `Too many ${what}: wait ${wait} s before sending again`,
        );
      }
      return { ok: true, data: await work() };
    } catch (error) {
      return { ok: false, error: this.chatError(error) };
    }
  }

  private chatError(error: unknown): ChatError {
    if (error instanceof ApiException) return { code: error.code, message: error.message };
    this.logger.error(`Chat event failed: ${(error as Error)?.stack ?? String(error)}`);
    return { code: ErrorCode.Internal, message: 'Something went wrong on our side' };
  }
}
