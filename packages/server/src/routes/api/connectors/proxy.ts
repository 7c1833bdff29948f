import type { Readable } from 'node:stream';
import { LatchkeyError } from '@latchkey/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dispatcher } from 'undici';
import type { AppDeps } from '../../../app-deps';
import {
  auditKeyUse,
  confirmActingUser,
  explainNotConnected,
  failureReason,
  type KeyUse,
  resolveConnectorActor,
  resolveEndUser,
} from '../../../plugins/api-key-auth';
import type { UpstreamAnswer } from '../../../proxy/dead-token-answer';
import { forwardRequest } from '../../../proxy/forward-request';
import { INSUFFICIENT_SCOPE_HEADER, insufficientScopeOf } from '../../../proxy/insufficient-scope';
import {
  createProxyAdmission,
  type ProxyAdmission,
  type ProxyTicket,
} from '../../../proxy/proxy-admission';
import {
  PROXIED_CONTENT_SECURITY_POLICY,
  returnableResponseHeaders,
} from '../../../proxy/proxy-headers';
import { splitRawUrl } from '../../../proxy/raw-proxy-url';
import { discardUnreadBody, NO_BODY, readProxyBody } from '../../../proxy/request-body';
import { limitedResponseBody } from '../../../proxy/response-stream';
import { createUpstreamPools } from '../../../proxy/upstream-pools';
import { idParamsSchema } from '../../route';

/** The proxy's route pattern; the cross-site guard recognises proxied calls by it. */
export const PROXY_ROUTE = '/api/connectors/:id/proxy/*';

const METHODS: Dispatcher.HttpMethod[] = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
];
/** A slot for this call, given back once its handler has settled and its response closed. */
function admitCall(admission: ProxyAdmission, reply: FastifyReply): ProxyTicket {
  const ticket = admission.admit();
  // A caller that hung up before the handler ran has no 'close' left to wait for.
  if (reply.raw.closed) ticket.end('response');
  else reply.raw.once('close', () => ticket.end('response'));
  return ticket;
}

/**
 * `ALL /api/connectors/:id/proxy/*`: the caller's request, with the caller's (or the
 * on-behalf user's) credential, to the connector's API; the answer streams back.
 */
export async function registerProxy(app: FastifyInstance, deps: AppDeps) {
  const pools = createUpstreamPools(
    deps.config.proxyTimeoutMs,
    deps.egress.connector(Math.min(deps.config.proxyTimeoutMs, 10_000)),
  );
  const admission = createProxyAdmission({
    maxCalls: deps.config.proxyMaxConcurrentCalls,
    maxBufferedBytes: deps.config.proxyMaxBufferedBytes,
  });
  deps.metrics.proxy.watchCapacity(admission.usage);
  const ownOrigin = new URL(deps.config.publicBaseUrl).origin;
  app.addHook('onClose', () => pools.close());
  await app.register(async (scope) => {
    // Bodies pass through untouched: no parsing, whatever the content type.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scope.route({
      method: METHODS,
      url: PROXY_ROUTE,
      schema: { tags: ['proxy'], params: idParamsSchema.passthrough() },
      handler: async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
        const use: KeyUse = {};
        let upstream: UpstreamAnswer | undefined;
        let ticket: ProxyTicket | undefined;
        const source = request.body as Readable | undefined;
        // Only once the answer is complete: until then the API may still be reading the body.
        if (source) reply.raw.once('close', () => discardUnreadBody(source));
        try {
          const { rawPath, rawQuery } = splitRawUrl(request.raw.url ?? '');
          const actor = resolveConnectorActor(request, 'proxy');
          use.actor = actor;
          ticket = admitCall(admission, reply);
          const connector = await deps.store.connectors.findById(request.params.id);
          if (!connector) throw new LatchkeyError('connector_not_found');
          use.connector = connector;
          if (connector.authMode === 'shared') await confirmActingUser(deps, actor);
          const admitted = ticket;
          const forwardOrExplain = async () => {
            try {
              // An end user is looked up only when named, for a per-user connector: a shared one
              // ignores them.
              if (connector.authMode === 'per-user' && actor.endUserExternalId !== undefined) {
                await resolveEndUser(deps, actor);
              }
              return await forwardRequest(deps, pools, {
                connector,
                userId: actor.userId,
                method: request.method as Dispatcher.HttpMethod,
                rawPath,
                rawQuery,
                headers: request.headers,
                body: source
                  ? await readProxyBody(
                      source,
                      request.headers['content-length'],
                      deps.config.proxyBodyLimitBytes,
                      admitted.reserveBytes,
                    )
                  : NO_BODY,
              });
            } catch (error) {
              return explainNotConnected(deps, request, actor, error, connector.id);
            }
          };
          const { response, url } = await forwardOrExplain();
          upstream = response;
          const body = limitedResponseBody(
            response,
            request.method,
            deps.config.proxyResponseLimitBytes,
          );
          const missingScope = insufficientScopeOf(
            response.statusCode,
            response.headers['www-authenticate'],
          );
          await auditKeyUse(
            deps,
            request,
            use,
            response.statusCode < 400 ? 'success' : 'failure',
            missingScope === undefined
              ? `proxy:${response.statusCode}`
              : `proxy:${response.statusCode}:insufficient_scope`,
          );
          deps.metrics.proxy.callFinished(connector.id, response.statusCode);
          reply
            .status(response.statusCode)
            .headers(returnableResponseHeaders(response.headers, url, ownOrigin))
            .header('content-security-policy', PROXIED_CONTENT_SECURITY_POLICY);
          // The API's own answer passes as it is; the header says which scope to grant.
          if (missingScope !== undefined) reply.header(INSUFFICIENT_SCOPE_HEADER, missingScope);
          return reply.send(body);
        } catch (error) {
          // An answer that will not be sent must not hold its pooled connection.
          upstream?.body.destroy();
          await auditKeyUse(deps, request, use, 'failure', failureReason(error));
          // Only a connector that exists is a label: unknown ids come from the client.
          if (use.connector) deps.metrics.proxy.callFinished(use.connector.id, 'none');
          throw error;
        } finally {
          ticket?.end('handler');
        }
      },
    });
  });
}
