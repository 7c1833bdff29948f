import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { failureSummary } from './logger';

/**
 * Fastify's request log lines, but for an answer cut short after its headers were sent.
 * Fastify writes a `warn` with the error's stack when the caller hangs up before the body's
 * first byte (the API's body, destroyed for it, fails with an abort error): every client
 * timeout and every load test's end filled the log with them. That is the caller's choice,
 * not a fault: it is an `info` line, as a hang-up mid-body already was. An answer that broke
 * on our side or the API's (the API reset the connection, the response limit cut it off)
 * stays a `warn`, summarised like every other failure we log.
 */
export class RequestLogController extends LogController {
  override streamError(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (callerHungUp(reply)) {
      reply.log.info('the caller hung up before the answer was complete');
    } else {
      reply.log.warn(
        { failure: failureSummary(error) },
        'the answer broke off after its headers were sent',
      );
    }
  }
}

/** The caller's connection closed first: the answer's own stream had not failed yet. */
function callerHungUp(reply: FastifyReply): boolean {
  return reply.raw.destroyed && !reply.raw.writableFinished;
}
