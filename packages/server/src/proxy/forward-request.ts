import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import {
  type AccessToken,
  LatchkeyError,
  type SharedConfig,
  type StoredConnector,
} from '@latchkey/core';
import type { Dispatcher } from 'undici';
import type { AppDeps } from '../app-deps';
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
 * Sends the call to the connector's API with the right credential. On a 401 for a user's
 * token: one forced refresh and one retry, if the body can be replayed (RFC 6750 §3.1).
 */
export async function forwardRequest(
  deps: AppDeps,
  pools: UpstreamPools,
  call: ProxyCall,
): Promise<{ response: Dispatcher.ResponseData; url: string }> {
  const apiBaseUrl = (call.connector.config as SharedConfig).apiBaseUrl;
  const target = resolveProxyTarget(apiBaseUrl, call.rawPath, call.rawQuery);
  const response = await sendWithCredential(deps, pools, target, call);
  return { response, url: `${target.origin}${target.pathAndQuery}` };
}

async function sendWithCredential(
  deps: AppDeps,
  pools: UpstreamPools,
  target: ProxyTarget,
  call: ProxyCall,
): Promise<Dispatcher.ResponseData> {
  if (call.connector.authMode === 'shared') {
    const header = await deps.sharedCredentials.header(call.connector);
    return send(pools, target, call, header);
  }
  if (!call.userId) throw new LatchkeyError('acting_user_required');
  const token = await deps.accessTokens.get(call.connector.id, call.userId);
  const response = await send(pools, target, call, bearer(token));
  if (response.statusCode !== 401) return response;
  await response.body.dump();
  // Refreshed even when the body cannot be replayed: the caller's retry must not carry the
  // token the API just refused.
  const refreshed = await deps.accessTokens.get(
    call.connector.id,
    call.userId,
    token.connectionVersion,
  );
  if (call.body.kind === 'streamed') throw new LatchkeyError('upstream_unauthorized_not_replayed');
  return send(pools, target, call, bearer(refreshed));
}

function bearer(token: AccessToken): [string, string] {
  return ['authorization', `Bearer ${token.accessToken}`];
}

async function send(
  pools: UpstreamPools,
  target: ProxyTarget,
  call: ProxyCall,
  credential: [string, string],
): Promise<Dispatcher.ResponseData> {
  const headers = forwardableRequestHeaders(call.headers);
  // A streamed body keeps its announced length: some APIs refuse chunked uploads.
  if (call.body.kind === 'streamed' && call.body.length !== undefined) {
    headers['content-length'] = String(call.body.length);
  }
  headers[credential[0]] = credential[1];
  try {
    return await pools.forOrigin(target.origin).request({
      path: target.pathAndQuery,
      method: call.method,
      headers,
      body: bodyOf(call.body),
    });
  } catch (error) {
    if (error instanceof LatchkeyError) throw error;
    throw new LatchkeyError('upstream_unavailable');
  }
}

function bodyOf(body: ProxyBody): Buffer | Readable | null {
  if (body.kind === 'buffered') return body.data;
  if (body.kind === 'streamed') return body.stream;
  return null;
}
