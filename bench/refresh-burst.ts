import { performance } from 'node:perf_hooks';
import type { TestProvider } from '@latchkey/testing';
import { Agent, request } from 'undici';
import type { OAuthConnection } from './oauth-connection';

export interface RefreshBurstFigures {
  calls: number;
  ok: number;
  /** Refresh-token grants the provider's token endpoint saw (target: exactly 1). */
  refreshRequests: number;
  /** Different access tokens handed out (1 when every caller shared the one refresh). */
  distinctTokens: number;
  totalMs: number;
}

/**
 * Expires the OAuth connection, then fires `calls` concurrent `_token` requests, each on its
 * own connection, spread in turn over the instances at `serviceUrls`, and counts what
 * reached the provider.
 */
export async function runRefreshBurst(options: {
  serviceUrls: readonly string[];
  apiKey: string;
  expire: (connection: OAuthConnection) => Promise<void>;
  connection: OAuthConnection;
  provider: TestProvider;
  calls: number;
}): Promise<RefreshBurstFigures> {
  const { connection, provider } = options;
  await options.expire(connection);
  provider.resetCounts();
  const agent = new Agent({ connections: options.calls, pipelining: 1 });
  const path = `/api/connectors/${connection.connectorId}/_token`;
  const urls = options.serviceUrls;
  const headers = {
    authorization: `ApiKey ${options.apiKey}`,
    'x-latchkey-user': connection.userId,
  };
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: options.calls }, async (_call, index) => {
      const url = `${urls[index % urls.length]}${path}`;
      const response = await request(url, { dispatcher: agent, headers });
      const body = (await response.body.json()) as { accessToken?: string };
      return { status: response.statusCode, accessToken: body.accessToken };
    }),
  );
  const totalMs = performance.now() - started;
  await agent.close();
  const ok = answers.filter((answer) => answer.status === 200);
  return {
    calls: options.calls,
    ok: ok.length,
    refreshRequests: provider.counts.tokenByGrant.refresh_token ?? 0,
    distinctTokens: new Set(ok.map((answer) => answer.accessToken)).size,
    totalMs,
  };
}
