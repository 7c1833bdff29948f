import type { Store } from '@latchkey/core';
import { afterEach, beforeEach, describe, vi } from 'vitest';
import { apiKeysContract } from './api-keys-contract';
import { auditContract } from './audit-contract';
import { connectionsContract } from './connections-contract';
import { connectorsContract } from './connectors-contract';
import { endUsersContract } from './end-users-contract';
import { leasesContract } from './leases-contract';
import { oauthStatesContract } from './oauth-states-contract';
import { pendingRevocationsContract } from './pending-revocations-contract';
import { sealedValuesContract } from './sealed-values-contract';
import { sessionsContract } from './sessions-contract';
import { transactionsContract } from './transactions-contract';
import { usersContract } from './users-contract';
import { webhooksContract } from './webhooks-contract';

/** An empty, migrated database that the suite opens stores on. */
export interface ContractDatabase {
  /** Opens a store on it, as one instance of the service does at start. */
  open(): Promise<Store>;
}

/** What each contract test gets: a store on a database of its own. */
export interface ContractContext {
  store: Store;
  /** Another store on the same database: a second instance, with caches of its own. */
  peer(): Promise<Store>;
}

/**
 * The `Store` contract (TSDoc on `packages/core/src/store.ts`) as tests that any dialect
 * must pass, the way node-oidc-provider documents its adapter. `openFreshDatabase` gives
 * each test an empty database; every store opened on it is closed after the test.
 */
export function describeStoreContract(
  name: string,
  openFreshDatabase: () => Promise<ContractDatabase>,
): void {
  describe(`Store contract: ${name}`, () => {
    const context = useFreshStore(openFreshDatabase);
    usersContract(context);
    sessionsContract(context);
    connectorsContract(context);
    connectionsContract(context);
    oauthStatesContract(context);
    pendingRevocationsContract(context);
    auditContract(context);
    leasesContract(context);
    apiKeysContract(context);
    sealedValuesContract(context);
    transactionsContract(context);
    endUsersContract(context);
    webhooksContract(context);
  });
}

/** The context, valid inside a test; filled before each test and closed after it. */
function useFreshStore(openFreshDatabase: () => Promise<ContractDatabase>): () => ContractContext {
  let opened: Store[] = [];
  let context: ContractContext | undefined;
  beforeEach(async () => {
    const database = await openFreshDatabase();
    const open = async () => {
      const store = await database.open();
      opened.push(store);
      return store;
    };
    context = { store: await open(), peer: open };
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    const closing = opened;
    opened = [];
    context = undefined;
    await Promise.all(closing.map((store) => store.close()));
  });
  return () => {
    if (!context) throw new Error('the store contract context is only valid inside a test');
    return context;
  };
}
