import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Service } from '../../packages/server/src/service';
import {
  CONNECTOR_COUNT,
  createBenchApiKey,
  createBenchConnectors,
  type SeededConnections,
  sealBenchCredentials,
  TOKEN_LIFETIME_MS,
} from '../seed-connections';
import type { RowSink } from './row-sink';
import { gridCell } from './seed-batches';

const USER_COLUMNS = ['id', 'username', 'role', 'password_hash', 'created_at', 'updated_at'];
const CONNECTION_COLUMNS = [
  'id',
  'connector_id',
  'user_id',
  'status',
  'scopes',
  'credentials',
  'expires_at',
  'refresh_expires_at',
  'version',
  'created_at',
  'updated_at',
  'last_used_at',
];

export interface SeedFigures {
  users: number;
  connections: number;
  /** Users and connections: sealing every token, inserting, committing, checkpoint/analyze. */
  seconds: number;
}

/**
 * `connectionCount` connections: `CONNECTOR_COUNT` connectors through the service, then
 * users × connectors in bulk through the sink (one write transaction, so opened last), each with tokens sealed by the service's vault
 * (so every call decrypts them as it would real ones).
 */
export async function seedAtScale(
  service: Service,
  upstreamUrl: string,
  openSink: () => Promise<RowSink>,
  connectionCount: number,
): Promise<{ seeded: SeededConnections; figures: SeedFigures }> {
  const connectorIds = await createBenchConnectors(service, upstreamUrl);
  const apiKey = await createBenchApiKey(service);
  const userCount = Math.ceil(connectionCount / CONNECTOR_COUNT);
  const userIds = Array.from({ length: userCount }, () => randomUUID());
  const at = service.deps.now();
  const started = performance.now();
  const sink = await openSink();
  await sink.insertRows('users', USER_COLUMNS, userCount, (index) => [
    userIds[index],
    `bench-user-${index}`,
    'viewer',
    'bench:no-login',
    at,
    at,
  ]);
  await sink.insertRows('connections', CONNECTION_COLUMNS, connectionCount, (index) => {
    const cell = gridCell(index, CONNECTOR_COUNT);
    const id = randomUUID();
    const sealed = sealBenchCredentials(service, id);
    const user = userIds[cell.user];
    const connector = connectorIds[cell.connector];
    const expiresAt = at + TOKEN_LIFETIME_MS;
    return [id, connector, user, 'connected', 'read write', sealed, expiresAt, null, 1, at, at, at];
  });
  await sink.finish();
  const seconds = (performance.now() - started) / 1000;
  return {
    seeded: { connectorIds, userIds, apiKey, connectionCount },
    figures: { users: userCount, connections: connectionCount, seconds },
  };
}
