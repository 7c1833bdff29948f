import type { Store } from '@latchkey/core';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from './database';
import type { DirectStatements } from './direct-statements';
import { apiKeysRepository } from './repositories/api-keys-repository';
import { auditRepository } from './repositories/audit-repository';
import {
  cachedApiKeys,
  cachedConnectors,
  createStoreCaches,
  type StoreCaches,
} from './repositories/cached-reads';
import { connectSessionsRepository } from './repositories/connect-sessions-repository';
import { connectionEventsRepository } from './repositories/connection-events-repository';
import { connectionsRepository } from './repositories/connections-repository';
import { connectorsRepository } from './repositories/connectors-repository';
import { withDirectConnectionReads } from './repositories/direct-connection-reads';
import { endUsersRepository } from './repositories/end-users-repository';
import { leasesRepository } from './repositories/leases-repository';
import { oauthStatesRepository } from './repositories/oauth-states-repository';
import { pendingRevocationsRepository } from './repositories/pending-revocations-repository';
import { sealedValuesRepository } from './repositories/sealed-values-repository';
import { sessionsRepository } from './repositories/sessions-repository';
import { usersRepository } from './repositories/users-repository';
import { webhooksRepository } from './repositories/webhooks-repository';

export interface KyselyStoreOptions {
  caches?: StoreCaches;
  /** Statements the dialect runs without Kysely on the hot path (`direct-statements.ts`). */
  direct?: DirectStatements;
  /** Runs first in every `transaction` (PostgreSQL: the lock that serialises them). */
  beginTransaction?: (trx: Transaction<Database>) => Promise<void>;
  /** Set for the store handed to a transaction's work. */
  inTransaction?: boolean;
}

/**
 * The `Store` over any Kysely dialect; a store made inside a transaction stays in it. Hot
 * reads (connector by id, API key by hash) are cached outside transactions; writes drop
 * their entries, and a committed transaction drops them all.
 */
export function createKyselyStore(db: Kysely<Database>, options: KyselyStoreOptions = {}): Store {
  const { caches = createStoreCaches(), direct, beginTransaction, inTransaction = false } = options;
  const connectors = connectorsRepository(db);
  const apiKeys = apiKeysRepository(db);
  const connections = connectionsRepository(db);
  const store: Store = {
    users: usersRepository(db),
    sessions: sessionsRepository(db),
    // Inside a transaction: read the database; the commit drops every cached row.
    connectors: inTransaction ? connectors : cachedConnectors(connectors, caches.connectors),
    connections:
      direct && !inTransaction ? withDirectConnectionReads(connections, direct) : connections,
    oauthStates: oauthStatesRepository(db),
    pendingRevocations: pendingRevocationsRepository(db),
    audit: auditRepository(db, inTransaction ? undefined : { direct }),
    leases: leasesRepository(db),
    apiKeys: inTransaction ? apiKeys : cachedApiKeys(apiKeys, caches.apiKeys),
    sealedValues: sealedValuesRepository(db),
    endUsers: endUsersRepository(db),
    connectSessions: connectSessionsRepository(db),
    connectionEvents: connectionEventsRepository(db),
    webhooks: webhooksRepository(db),
    transaction: async (work) => {
      if (inTransaction) return work(store);
      const result = await db.transaction().execute(async (trx) => {
        await beginTransaction?.(trx);
        return work(createKyselyStore(trx, { caches, inTransaction: true }));
      });
      caches.connectors.clear();
      caches.apiKeys.clear();
      return result;
    },
    async ping() {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
  return store;
}
