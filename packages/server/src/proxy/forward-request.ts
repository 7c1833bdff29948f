import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { QUIRKS } from '@latchkey/catalog';
import {
  type AccessToken,
  connectionApiBaseUrl,
  LatchkeyError,
  recordAudit,
  type StoredConnector,
} from '@latchkey/core';
import type { Dispatcher } from 'undici';
import type { AppDeps } from '../app-deps';
import { toEgressError } from '../egress';
import { readStatusRefusal, readTokenRefusal, type UpstreamAnswer } from './dead-token-answer';
import { forwardableRequestHeaders } from './proxy-headers';
import { type ProxyTarget, resolveProxyTarget } from './proxy-target';
import type { ProxyBody } from './request-body';
import type { UpstreamPools } from './upstream-pools';

interface ProxyCall {
  connector: StoredConnector;
  /** The user whose token is used; null for shared connectors called without one. */
  userId: string | null;
  method: Dispatcher.HttpMethod;
  rawPath: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: ProxyBody;
}

/**
 * Sends the call to the connector's API with the right credential. When the API refuses a
 * user's token or a client-credentials token (a 401, or what the provider's quirk module
 * reads as one): one renewal and one retry, if the body can be replayed.
 */
export async function forwardRequest(
  deps: AppDeps,
  pools: UpstreamPools,
  call: ProxyCall,
): Promise<{ response: UpstreamAnswer; url: string }> {
  const { connector } = call;
  if (connector.authMode === 'shared') {
    const target = targetOf(connector.config.apiBaseUrl, call);
    const header = await deps.sharedCredentials.header(connector);
    const first = readStatusRefusal(await send(deps, pools, target, call, header));
    const response =
      first.refused && deps.sharedCredentials.renewable(connector)
        ? await retryAfterRefusal(deps, pools, target, call, first.answer, () =>
            deps.sharedCredentials.header(connector, header[1]),
          )
        : first.answer;
    return { response, url: urlOf(target) };
  }
  const { userId } = call;
  if (!userId) throw new LatchkeyError('acting_user_required');
  const token = await deps.accessTokens.get(connector.id, userId);
  // Where the API is may depend on the connection (Salesforce's instance URL).
  const target = targetOf(connectionApiBaseUrl(connector.config.apiBaseUrl, token.metadata), call);
  const quirks = connector.config.quirks ? QUIRKS[connector.config.quirks] : undefined;
  const header = tokenHeaderOf(connector.config.apiTokenHeader);
  const sent = await send(deps, pools, target, call, header(token));
  // Only a provider's quirk module reads the body to tell a refusal; the status tells the rest.
  const first = quirks?.isDeadTokenAnswer
    ? await readTokenRefusal(sent, quirks)
    : readStatusRefusal(sent);
  const response = first.refused
    ? await retryAfterRefusal(deps, pools, target, call, first.answer, async () =>
        header(await deps.accessTokens.get(connector.id, userId, token)),
      )
    : first.answer;
  return { response, url: urlOf(target) };
}

function targetOf(apiBaseUrl: string, call: ProxyCall): ProxyTarget {
  return resolveProxyTarget(apiBaseUrl, call.rawPath, call.rawQuery);
}

function urlOf(target: ProxyTarget): string {
  return `${target.origin}${target.pathAndQuery}`;
}

/**
 * After a refused token (RFC 6750 §3.1): a renewed credential, and one retry if the body
 * can be replayed. Renewed even when it cannot: the caller's retry must not carry the
 * credential the API just refused.
 */
async function retryAfterRefusal(
  deps: AppDeps,
  pools: UpstreamPools,
  target: ProxyTarget,
  call: ProxyCall,
  refusal: UpstreamAnswer,
  renew: () => Promise<[string, string]>,
): Promise<UpstreamAnswer> {
  refusal.body.resume();
  const renewed = await renew();
  if (call.body.kind === 'streamed') throw new LatchkeyError('upstream_unauthorized_not_replayed');
  return send(deps, pools, target, call, renewed);
}

/** `Authorization: Bearer` (RFC 6750 §2.1), or the header the preset's API takes instead. */
function tokenHeaderOf(rule: { name: string; prefix: string } | undefined) {
  return (token: AccessToken): [string, string] =>
    rule
      ? [rule.name.toLowerCase(), `${rule.prefix}${token.accessToken}`]
      : ['authorization', `Bearer ${token.accessToken}`];
}

async function send(
  deps: AppDeps,
  pools: UpstreamPools,
  target: ProxyTarget,
  call: ProxyCall,
  credential: [string, string],
): Promise<Dispatcher.ResponseData> {
  const headers = forwardableRequestHeaders(call.headers, apiHeadersOf(call.connector));
  // A streamed body keeps its announced length: some APIs refuse chunked uploads.
  if (call.body.kind === 'streamed' && call.body.length !== undefined) {
    headers['content-length'] = String(call.body.length);
  }
  headers[credential[0]] = credential[1];
  const started = performance.now();
  try {
    const response = await pools.forOrigin(target.origin).request({
      path: target.pathAndQuery,
      method: call.method,
      headers,
      body: bodyOf(call.body),
    });
    deps.metrics.proxy.upstreamAnswered(call.connector.id, (performance.now() - started) / 1000);
    return response;
  } catch (error) {
    if (error instanceof LatchkeyError) throw error;
    const refused = toEgressError(error);
    if (!refused) throw new LatchkeyError('upstream_unavailable');
    await recordAudit(deps.store, deps.now(), {
      action: 'egress_denied',
      outcome: 'failure',
      reason: 'proxy_request',
      connectorId: call.connector.id,
      ...(call.userId ? { subjectUserId: call.userId } : {}),
    });
    throw refused;
  }
}

/**
 * The headers the connector's provider wants on every call (`Notion-Version`, GitHub's
 * `Accept`), by lower-case name: defaults that the caller's own headers replace.
 */
function apiHeadersOf(connector: StoredConnector): Record<string, string> {
  if (!connector.config.apiHeaders) return {};
  const entries = Object.entries(connector.config.apiHeaders);
  return Object.fromEntries(entries.map(([name, value]) => [name.toLowerCase(), value]));
}

function bodyOf(body: ProxyBody): Buffer | Readable | null {
  if (body.kind === 'buffered') return body.data;
  if (body.kind === 'streamed') return body.stream;
  return null;
}
