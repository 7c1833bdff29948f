import type { Readable } from 'node:stream';
import { LatchkeyError, recordAudit } from '@latchkey/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dispatcher } from 'undici';
import type { AppDeps } from '../../../app-deps';
import { resolveConnectorActor } from '../../../plugins/api-key-auth';
import { forwardRequest } from '../../../proxy/forward-request';
import { returnableResponseHeaders } from '../../../proxy/proxy-headers';
import { readProxyBody } from '../../../proxy/request-body';
import { limitedResponseBody } from '../../../proxy/response-stream';
import { createUpstreamPools } from '../../../proxy/upstream-pools';
import { idParamsSchema } from '../../route';

const METHODS: Dispatcher.HttpMethod[] = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
];
const MARKER = '/proxy/';

/** The part of the raw (undecoded) URL after `/proxy/`, and the query string. */
function splitRawUrl(rawUrl: string): { rawPath: string; rawQuery: string } {
  const queryAt = rawUrl.indexOf('?');
  const path = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
  return {
    rawPath: path.slice(path.indexOf(MARKER) + MARKER.length),
    rawQuery: queryAt < 0 ? '' : rawUrl.slice(queryAt),
  };
}

/**
 * `ALL /api/connectors/:id/proxy/*`: the caller's request, with the caller's (or the
 * on-behalf user's) credential, to the connector's API; the answer streams back.
 */
export async function registerProxy(app: FastifyInstance, deps: AppDeps) {
  const pools = createUpstreamPools(deps.config.proxyTimeoutMs);
  app.addHook('onClose', () => pools.close());
  await app.register(async (scope) => {
    // Bodies pass through untouched: no parsing, whatever the content type.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scope.route({
      method: METHODS,
      url: '/api/connectors/:id/proxy/*',
      schema: { tags: ['proxy'], params: idParamsSchema.passthrough() },
      handler: async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
        const actor = await resolveConnectorActor(deps, request, 'proxy');
        const connector = await deps.store.connectors.findById(request.params.id);
        if (!connector) throw new LatchkeyError('connector_not_found');
        const audit = (outcome: 'success' | 'failure', reason: string) =>
          actor.apiKey
            ? recordAudit(deps.store, deps.now(), {
                action: 'api_key_used',
                outcome,
                reason,
                apiKeyId: actor.apiKey.id,
                ...(actor.userId ? { subjectUserId: actor.userId } : {}),
                connectorId: connector.id,
              })
            : Promise.resolve();
        try {
          const response = await forwardRequest(deps, pools, {
            connector,
            userId: actor.userId,
            method: request.method as Dispatcher.HttpMethod,
            ...splitRawUrl(request.raw.url ?? ''),
            headers: request.headers,
            body: await readProxyBody(
              request.body as Readable | undefined,
              request.headers['content-length'],
              deps.config.proxyBodyLimitBytes,
            ),
          });
          await audit(
            response.statusCode < 400 ? 'success' : 'failure',
            `proxy:${response.statusCode}`,
          );
          const body = limitedResponseBody(response, deps.config.proxyResponseLimitBytes);
          return reply
            .status(response.statusCode)
            .headers(returnableResponseHeaders(response.headers))
            .send(body);
        } catch (error) {
          await audit('failure', error instanceof LatchkeyError ? error.code : 'internal_error');
          throw error;
        }
      },
    });
  });
}
