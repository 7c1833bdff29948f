import { type ErrorCode, LatchkeyError } from '@latchkey/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { failureSummary } from '../logger';
import { validationIssues } from './validation-issues';

/** Fastify's own error codes that are the client's fault, and what we call them. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_BAD_URL: 'bad_request',
  FST_ERR_MAX_PARAM_LENGTH: 'bad_request',
  FST_ERR_ASYNC_CONSTRAINT: 'bad_request',
};

export function toLatchkeyError(error: FastifyError | Error): LatchkeyError {
  if (error instanceof LatchkeyError) return error;
  const fastifyError = error as FastifyError;
  if (hasZodFastifySchemaValidationErrors(fastifyError)) {
    const issues = validationIssues(fastifyError.validationContext ?? '', fastifyError.validation);
    const first = issues[0];
    return new LatchkeyError(
      'validation_failed',
      first ? `${first.path || 'body'}: ${first.message}` : undefined,
      { issues },
    );
  }
  const mapped = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (mapped) return new LatchkeyError(mapped);
  if (error instanceof SyntaxError) return new LatchkeyError('invalid_json');
  if (fastifyError.statusCode === 429) return new LatchkeyError('rate_limited');
  if (fastifyError.statusCode && fastifyError.statusCode < 500)
    return new LatchkeyError('bad_request');
  return new LatchkeyError('internal_error');
}

export function sendError(reply: FastifyReply, error: LatchkeyError) {
  const body: { code: string; message: string; details?: Record<string, unknown> } = {
    code: error.code,
    message: error.message,
  };
  if (error.details) body.details = error.details;
  if (error.retryAfterSeconds !== undefined) {
    reply.header('retry-after', String(error.retryAfterSeconds));
  }
  return reply.status(error.status).type('application/json').send({ error: body });
}

/**
 * Router-level failures (a malformed percent-encoding, an over-long path parameter) never
 * reach `setErrorHandler`; Fastify hands them to its `frameworkErrors` option instead.
 */
export function handleFrameworkError(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
) {
  return sendError(reply, toLatchkeyError(error));
}

/** The one handler that turns every failure into `{"error":{"code","message"}}`. */
export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const latchkeyError = toLatchkeyError(error);
    if (latchkeyError.status >= 500) {
      request.log.error({ failure: failureSummary(error) }, 'request failed');
    }
    return sendError(reply, latchkeyError);
  });
  app.setNotFoundHandler((_request, reply) => sendError(reply, new LatchkeyError('not_found')));
}
