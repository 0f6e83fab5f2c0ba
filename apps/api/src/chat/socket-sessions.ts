import { HttpStatus, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ChatEvent, ErrorCode, type SessionEnded } from '@switchboard/contracts';
import type { Server, Socket } from 'socket.io';
import { AccessTokens, type Principal } from '../auth/access-tokens';
import { SessionRevocations } from '../auth/session-revocations';
import { ApiException } from '../http/api-exception';

/** What a socket of the chat gateway carries. */
export interface SessionSocketState {
  principal: Principal;
  expiryTimer?: NodeJS.Timeout;
}

type SessionSocket = Socket<
  Record<string, never>,
  Record<string, never>,
  Record<string, never>,
  SessionSocketState
>;

/**
 * A socket lives no longer than the session it authenticated with: it is closed when its access
 * token expires (unless the client sent a renewed one with `session:renew`), and at once when the
 * session is revoked on any instance (signed out, agent disabled, chat links withdrawn), which every
 * instance learns from `SessionRevocations` within seconds.
 */
@Injectable()
export class SocketSessions implements OnApplicationShutdown {
  private server?: Server;
  private stopListening?: () => void;

  constructor(
    private readonly tokens: AccessTokens,
    private readonly revocations: SessionRevocations,
  ) {}

  attach(server: Server): void {
    this.server = server;
    this.stopListening = this.revocations.onRevoked(() => this.closeRevoked());
  }

  onApplicationShutdown(): void {
    this.stopListening?.();
  }

  /** A newly connected socket: its session's clock starts. */
  started(socket: SessionSocket): void {
    this.schedule(socket);
    socket.once('disconnect', () => clearTimeout(socket.data.expiryTimer));
  }

  /** Takes a fresh token for the same agent, or the same customer's conversation, and moves the end. */
  renew(socket: SessionSocket, token: unknown): { expiresAt: string } {
    const next = typeof token === 'string' ? this.tokens.verify(token) : undefined;
    if (!next) {
      throw new ApiException(
        HttpStatus.UNAUTHORIZED,
        ErrorCode.Unauthorized,
        'The access token is not valid or has expired',
      );
    }
    if (!sameIdentity(socket.data.principal, next)) {
      throw new ApiException(
        HttpStatus.FORBIDDEN,
        ErrorCode.Forbidden,
        'That token belongs to someone else: connect again with it instead',
      );
    }
    socket.data.principal = next;
    this.schedule(socket);
    return { expiresAt: new Date(next.expiresAt).toISOString() };
  }

  private schedule(socket: SessionSocket): void {
    clearTimeout(socket.data.expiryTimer);
    const remaining = Math.max(0, socket.data.principal.expiresAt - Date.now());
    socket.data.expiryTimer = setTimeout(() => end(socket, 'expired'), remaining).unref();
  }

  private closeRevoked(): void {
    for (const socket of this.server?.of('/').sockets.values() ?? []) {
      const principal = (socket as SessionSocket).data?.principal;
      if (principal && this.tokens.isRevoked(principal)) end(socket as SessionSocket, 'revoked');
    }
  }
}

function end(socket: SessionSocket, reason: SessionEnded['reason']): void {
  clearTimeout(socket.data.expiryTimer);
  // Written before the close: engine.io flushes its write buffer before closing the connection.
  (socket as Socket).emit(ChatEvent.SessionEnded, { reason } satisfies SessionEnded);
  socket.disconnect(true);
}

function sameIdentity(current: Principal, next: Principal): boolean {
  if (current.role === 'customer' || next.role === 'customer') {
    return (
      current.role === 'customer' &&
      next.role === 'customer' &&
      current.customerId === next.customerId &&
      current.conversationId === next.conversationId
    );
  }
  return current.agentId === next.agentId;
}
