import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, type Observable, switchMap } from 'rxjs';
import { ReadReplica } from '../database/read-replica';

/**
 * With a read replica, an answer to a write says where the primary's log stood once it committed
 * (`X-Position`): the console sends it back as `X-Read-After`, so its next reads never come from a
 * replica that has not replayed the change yet. Reads and deployments without a replica get nothing.
 */
@Injectable()
export class WritePosition implements NestInterceptor {
  constructor(private readonly replica: ReadReplica) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!this.replica.configured || request.method === 'GET' || request.method === 'HEAD')
      return next.handle();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      switchMap((body: unknown) =>
        from(
          this.replica.position().then((position) => {
            if (position) void reply.header('X-Position', position);
            return body;
          }),
        ),
      ),
    );
  }
}
