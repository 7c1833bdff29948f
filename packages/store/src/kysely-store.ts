import type { Store } from '@latchkey/core';
import { type Kysely, sql } from 'kysely';
import type { Database } from './database';
import { apiKeysRepository } from './repositories/api-keys-repository';
import { auditRepository } from './repositories/audit-repository';
import { connectionsRepository } from './repositories/connections-repository';
import { connectorsRepository } from './repositories/connectors-repository';
import { leasesRepository } from './repositories/leases-repository';
import { oauthStatesRepository } from './repositories/oauth-states-repository';
import { pendingRevocationsRepository } from './repositories/pending-revocations-repository';
import { sealedValuesRepository } from './repositories/sealed-values-repository';
import { sessionsRepository } from './repositories/sessions-repository';
import { usersRepository } from './repositories/users-repository';

/** The `Store` over any Kysely dialect; a store made inside a transaction stays in it. */
export function createKyselyStore(db: Kysely<Database>, inTransaction = false): Store {
  const store: Store = {
    users: usersRepository(db),
    sessions: sessionsRepository(db),
    connectors: connectorsRepository(db),
    connections: connectionsRepository(db),
    oauthStates: oauthStatesRepository(db),
    pendingRevocations: pendingRevocationsRepository(db),
    audit: auditRepository(db, inTransaction),
    leases: leasesRepository(db),
    apiKeys: apiKeysRepository(db),
    sealedValues: sealedValuesRepository(db),
    transaction: (work) =>
      inTransaction
        ? work(store)
        : db.transaction().execute((trx) => work(createKyselyStore(trx, true))),
    async ping() {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
  return store;
}
