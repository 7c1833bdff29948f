import { setTimeout as sleep } from 'node:timers/promises';
import {
  createVault,
  openCredentials,
  parseEncryptionKeys,
  rotateEncryptionKeys,
  type SealedValueRepository,
  type Store,
  type Vault,
} from '@latchkey/core';
import { openStore, parseDatabaseUrl } from '@latchkey/store';
import type { TestProvider } from '@latchkey/testing';
import { createTestPostgresDatabase, type TestPostgresDatabase } from '@latchkey/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import { type GatedForwarder, startGatedForwarder } from './support/gated-forwarder';
import {
  activeAt,
  connect,
  createProviderConnector,
  startOAuthService,
  startProvider,
} from './support/oauth-harness';
import { runLatchkey } from './support/run-latchkey';
import { TEST_KEY_A, TEST_KEY_B, type TestService } from './support/test-service';

const USERS = 3;
const CALLS_PER_USER_AND_INSTANCE = 3;
const HOUR_MS = 3_600_000;
const PROVIDER_WAIT_MS = 60_000;

/** Every sealed value in the database, opened with `vault` alone: throws on the first it cannot. */
async function openEverySealedValue(store: Store, vault: Vault): Promise<string[]> {
  const keyIds: string[] = [];
  for (const column of store.sealedValues.columns) {
    for (const value of await store.sealedValues.page(column, '', 10_000)) {
      vault.decrypt(value.sealed, { ...column, rowId: value.rowId });
      keyIds.push(vault.keyIdOf(value.sealed));
    }
  }
  return keyIds;
}

/** Polls until `done` holds, for at most 10 s. */
async function until(done: () => boolean) {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('gave up waiting');
    await sleep(20);
  }
}

/**
 * Two instances on one PostgreSQL database refresh users' expired tokens while keys are
 * rotated from elsewhere: first by `npx latchkey keys rotate` in its own process, then by
 * a rotation whose reads come before the instances' writes. No refresh result is lost, and
 * every sealed value opens with the key set the rotation leaves.
 */
describe('key rotation while two instances refresh tokens', () => {
  const newKeys = `${TEST_KEY_B},${TEST_KEY_A}`;
  let database: TestPostgresDatabase;
  let provider: TestProvider;
  let gate: GatedForwarder;
  let first: TestService;
  let second: TestService;
  let connectorId: string;
  let userIds: string[];
  let key: string;

  beforeAll(async () => {
    database = await createTestPostgresDatabase();
    provider = await startProvider();
    gate = await startGatedForwarder(provider.tokenEndpoint, {
      holds: (form) => form.get('grant_type') === 'refresh_token',
      hold: 'response',
    });
    const env = { LATCHKEY_DATABASE_URL: database.url };
    // Connected while the old key alone was configured.
    const before = await startOAuthService(env);
    connectorId = await createProviderConnector(before, provider, { tokenUrl: gate.url });
    const users = await Promise.all(
      Array.from({ length: USERS }, (_, i) => before.sessionFor('viewer', `user-${i}`)),
    );
    for (const user of users) await connect(before, user.cookie, connectorId);
    userIds = users.map((u) => u.userId);
    await before.stop({ keepData: true });
    const keys = {
      ...env,
      LATCHKEY_ENCRYPTION_KEYS: newKeys,
      // The refreshes wait at the gate for as long as the CLI takes to start and run, and
      // the calls behind them wait for their lock as long.
      LATCHKEY_PROVIDER_TIMEOUT_MS: String(PROVIDER_WAIT_MS),
      LATCHKEY_REFRESH_LOCK_WAIT_MS: String(PROVIDER_WAIT_MS),
    };
    [first, second] = await Promise.all([startOAuthService(keys), startOAuthService(keys)]);
    ({ key } = await createApiKey(first, ['tokens:read', 'on_behalf']));
    // Three services start and log in here: slow on a busy machine.
  }, 60_000);
  afterAll(async () => {
    gate?.release();
    await second?.stop({ keepData: true });
    await first?.stop({ keepData: true });
    await gate?.stop();
    await provider?.stop();
    await database?.drop();
  });

  /** Every user's token through both instances, several calls each, at once. */
  function tokenCallsEverywhere() {
    const later = first.clock.now + 2 * HOUR_MS;
    first.clock.now = later;
    second.clock.now = later;
    return Promise.all(
      [first, second].flatMap((service) =>
        userIds.flatMap((userId) =>
          Array.from({ length: CALLS_PER_USER_AND_INSTANCE }, async () => {
            const response = await service.request({
              method: 'GET',
              url: `/api/connectors/${connectorId}/_token`,
              headers: { authorization: `ApiKey ${key}`, 'x-latchkey-user': userId },
            });
            expect(response.statusCode).toBe(200);
            return { userId, accessToken: response.json().accessToken as string };
          }),
        ),
      ),
    );
  }

  /** The tokens stored for each user, opened with `vault`, in `userIds` order. */
  async function storedTokens(vault: Vault) {
    return Promise.all(
      userIds.map(async (userId) => {
        const connection = await first.deps.store.connections.find(connectorId, userId);
        if (!connection?.sealedCredentials) throw new Error('connection gone');
        return openCredentials(vault, connection.id, connection.sealedCredentials);
      }),
    );
  }

  /** Each user got one access token from every call, the one stored, live at the provider. */
  async function expectNothingLost(
    handedOut: { userId: string; accessToken: string }[],
    vault: Vault,
  ) {
    const stored = await storedTokens(vault);
    for (const [i, userId] of userIds.entries()) {
      const theirs = new Set(
        handedOut.filter((h) => h.userId === userId).map((h) => h.accessToken),
      );
      expect([...theirs]).toEqual([stored[i]?.accessToken]);
    }
    const refreshTokens = stored.map((s) => s.refreshToken ?? '');
    // With rotating refresh tokens, only the provider's latest is still active.
    expect(await activeAt(provider, refreshTokens)).toEqual(userIds.map(() => true));
    return refreshTokens;
  }

  it('keeps the refresh the CLI rotated under, for every connection', async () => {
    const exchangesBefore = gate.received();
    const calls = tokenCallsEverywhere();
    // The provider has issued (and rotated) every user's tokens; Latchkey has not stored them.
    await until(() => gate.heldAnswers.length === USERS);

    const rotated = await runLatchkey(['keys', 'rotate'], {
      LATCHKEY_DATA_DIR: first.dataDir,
      LATCHKEY_DATABASE_URL: database.url,
      LATCHKEY_ENCRYPTION_KEYS: newKeys,
    });
    expect(rotated.stderr).toBe('');
    expect(rotated.stdout).toContain(`connections.credentials: ${USERS} re-encrypted`);
    gate.release();
    const handedOut = await calls;

    // One refresh per connection, whichever instance sent it.
    expect(gate.received() - exchangesBefore).toBe(USERS);
    const refreshTokens = await expectNothingLost(
      handedOut,
      createVault(parseEncryptionKeys(TEST_KEY_B)),
    );
    const issued = gate.heldAnswers.map((answer) => JSON.parse(answer).refresh_token as string);
    expect(new Set(refreshTokens)).toEqual(new Set(issued));
    // The old key can go: everything opens with the new one alone.
    const keyIds = await openEverySealedValue(
      first.deps.store,
      createVault(parseEncryptionKeys(TEST_KEY_B)),
    );
    expect(new Set(keyIds)).toEqual(new Set(['kb']));
  });

  it('never writes back a value the instances refreshed after the rotation read it', async () => {
    // A rotation from a store of its own whose read of the connections comes before the
    // instances' refreshes, and its writes after: as if it read just before they stored.
    const opened = await openStore(parseDatabaseUrl(database.url), { poolSize: 2 });
    const rotationVault = createVault(parseEncryptionKeys(`${TEST_KEY_A},${TEST_KEY_B}`));
    let pageRead = () => {};
    const pageWasRead = new Promise<void>((resolve) => {
      pageRead = resolve;
    });
    let letPageGo = () => {};
    const pageMayGo = new Promise<void>((resolve) => {
      letPageGo = resolve;
    });
    const values: SealedValueRepository = {
      ...opened.sealedValues,
      async page(column, after, limit) {
        const page = await opened.sealedValues.page(column, after, limit);
        if (column.table === 'connections' && after === '') {
          pageRead();
          await pageMayGo;
        }
        return page;
      },
    };
    try {
      const rotation = rotateEncryptionKeys({ ...opened, sealedValues: values }, rotationVault);
      await pageWasRead;
      const handedOut = await tokenCallsEverywhere();
      letPageGo();
      const report = await rotation;

      // The first swap fails; the page read again from that row finds every refreshed value.
      expect(report.raced).toBe(1);
      expect(report.byColumn['connections.credentials']).toBe(USERS);
      await expectNothingLost(handedOut, rotationVault);
      const keyIds = await openEverySealedValue(
        first.deps.store,
        createVault(parseEncryptionKeys(TEST_KEY_A)),
      );
      expect(new Set(keyIds)).toEqual(new Set(['ka']));
    } finally {
      await opened.close();
    }
  });
});
