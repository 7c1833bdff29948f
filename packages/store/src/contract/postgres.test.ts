import { createTestPostgresDatabase, type TestPostgresDatabase } from '@latchkey/testing';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openStore } from '../open-store';
import { describeStoreContract } from './store-contract';

const TABLES = [
  'users',
  'sessions',
  'connectors',
  'connections',
  'oauth_states',
  'pending_revocations',
  'audit_events',
  'leases',
  'api_keys',
  'connect_sessions',
  'webhook_endpoints',
  'webhook_subscriptions',
  'connection_events',
  'webhook_deliveries',
];

let database: TestPostgresDatabase;
let migrated = false;

beforeAll(async () => {
  // A language collation, as operators' databases often have: the contract's code point
  // order must hold there too.
  database = await createTestPostgresDatabase({ icuLocale: 'en-US' });
});
afterAll(() => database?.drop());

/** One database for this file; emptied before each test rather than created anew. */
async function emptyTables(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`truncate table ${TABLES.join(', ')}`);
  } finally {
    await client.end();
  }
}

describeStoreContract('PostgreSQL', async () => {
  const location = { dialect: 'postgres' as const, url: database.url };
  if (migrated) await emptyTables(database.url);
  migrated = true;
  return { open: () => openStore(location, { poolSize: 4 }) };
});
