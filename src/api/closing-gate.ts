import type { FastifyReply } from 'fastify';
import { GatewayError } from '../domain/errors.js';

/**
 * While shutting down: answers go out with `Connection: close`, so that no keep-alive
 * connection holds the shutdown open, and a request that still arrives is turned away.
 * Handlers ask it rather than a hook: a hook costs every request.
 */
export class ClosingGate {
  private closing = false;

  close(): void {
    this.closing = true;
  }

  refuseIfClosing(): void {
    if (this.closing) throw new GatewayError('SHUTTING_DOWN', 'the gateway is shutting down; try again', { retryAfterS: 1 });
  }

  closeIfClosing(reply: FastifyReply): void {
    if (this.closing) void reply.header('connection', 'close');
  }
}
