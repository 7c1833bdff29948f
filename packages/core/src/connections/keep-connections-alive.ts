import { setTimeout as sleep } from 'node:timers/promises';
import type { CoreDeps } from '../deps';
import type { ConnectedConnection, RefreshDueLimits, StoredConnector } from '../store';
import type { AccessTokens } from './access-tokens';

export interface KeepAliveSettings {
  /** Tokens that expire within this are refreshed now: the job's interval plus a margin. */
  horizonMs: number;
  /** Refreshes under way at once. */
  concurrency: number;
  /** Each refresh first waits a random delay up to this. */
  jitterMs: number;
  /** A uniform random number in [0, 1), for the jitter. */
  random: () => number;
}

export interface KeepAliveReport {
  refreshed: number;
  /** Refreshed meanwhile by a call or another instance, or changed (reconnected, disconnected). */
  skipped: number;
  failed: number;
}

/** Connections a run renews per connector at most: the next run takes the rest. */
const BATCH = 500;
const DAY_MS = 86_400_000;

/**
 * The keep-alive job: refreshes the connections of connectors that opted in before their
 * tokens lapse, the access token by expiry and the refresh token by disuse (providers that
 * drop one unused for days). Each refresh goes through the connection's usual single flight,
 * lease and version check, so a connection refreshed meanwhile (by a call, or by this job on
 * another instance) is not refreshed again. Connections cooling down after a failure wait.
 */
export async function keepConnectionsAlive(
  deps: CoreDeps,
  accessTokens: AccessTokens,
  settings: KeepAliveSettings,
): Promise<KeepAliveReport> {
  const due: ConnectedConnection[] = [];
  for (const connector of await deps.store.connectors.list()) {
    const limits = keepAliveLimits(connector, deps.now(), settings.horizonMs);
    if (limits)
      due.push(...(await deps.store.connections.dueForRefresh(connector.id, limits, BATCH)));
  }
  const report: KeepAliveReport = { refreshed: 0, skipped: 0, failed: 0 };
  const renewOne = async (connection: ConnectedConnection) => {
    await sleep(settings.random() * settings.jitterMs);
    report[await renew(accessTokens, connection)] += 1;
  };
  await runBounded(due, settings.concurrency, renewOne);
  return report;
}

/** Which of the connector's connections are due; null when it has not opted in. */
function keepAliveLimits(
  connector: StoredConnector,
  now: number,
  horizonMs: number,
): RefreshDueLimits | null {
  if (connector.authMode !== 'per-user' || !connector.config.keepAlive) return null;
  const idleDays = connector.config.refreshTokenIdleDays;
  return {
    now,
    expiringBefore: now + horizonMs,
    // Halfway through the unused lifetime: one missed run, or a slow provider, is no loss.
    obtainedBefore: idleDays === undefined ? null : now - (idleDays * DAY_MS) / 2,
  };
}

async function renew(
  accessTokens: AccessTokens,
  connection: ConnectedConnection,
): Promise<keyof KeepAliveReport> {
  try {
    const { outcome } = await accessTokens.renew(connection.connectorId, connection.userId, {
      connectionId: connection.id,
      connectionVersion: connection.version,
    });
    return outcome === 'refreshed' ? 'refreshed' : 'skipped';
  } catch {
    // Recorded where it happened: the cool-down, reauth_required, the refresh metrics.
    return 'failed';
  }
}

/** Runs `work` on every item, at most `limit` at once. */
async function runBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
