import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { openCredentials } from '@latchkey/core';
import {
  createTestPostgresDatabase,
  type TestPostgresDatabase,
  type TestProvider,
} from '@latchkey/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import {
  activeAt,
  connect,
  createProviderConnector,
  sessionsFor,
  startOAuthService,
  startProvider,
  storedTokens,
  type UserSession,
} from './support/oauth-harness';
import {
  type Instance,
  type Instances,
  startPostgresInstances,
} from './support/postgres-instances';
import { type RefreshTrap, startRefreshTrap } from './support/refresh-trap';
import { killProcessGroup } from './support/spawned-service';
import type { TestService } from './support/test-service';

const ACCESS_TOKEN_TTL_S = 2;
const PROVIDER_TIMEOUT_MS = 2000;
/** The refresh lease's lifetime: twice the provider timeout. */
const LEASE_TTL_MS = 2 * PROVIDER_TIMEOUT_MS;
const LOCK_WAIT_MS = 300;
const WORKERS = 6;
/** The longest one call may take: a lock wait, a provider round trip, and room for 2 cores. */
const CALL_BOUND_MS = LOCK_WAIT_MS + PROVIDER_TIMEOUT_MS + 1500;

interface Answer {
  instance: string;
  userId: string;
  status: number;
  code: string | undefined;
  retryAfter: string | null;
  at: number;
  tookMs: number;
}

/**
 * Two real service processes on one PostgreSQL database, under load of `_token` calls whose
 * access tokens keep expiring (so refreshes run on both). One is SIGKILLed while it waits for
 * a refresh the provider has already answered with a rotated refresh token.
 */
describe('an instance killed with SIGKILL in the middle of load', () => {
  let database: TestPostgresDatabase;
  let provider: TestProvider;
  let trap: RefreshTrap;
  let setup: TestService;
  let instances: Instances;
  let connectorId: string;
  let loadUsers: UserSession[];
  let victim: UserSession;
  let key: string;

  beforeAll(async () => {
    database = await createTestPostgresDatabase();
    provider = await startProvider('latchkey', { accessTokenTtlSeconds: ACCESS_TOKEN_TTL_S });
    trap = await startRefreshTrap(provider.tokenEndpoint);
    setup = await startOAuthService({ LATCHKEY_DATABASE_URL: database.url });
    connectorId = await createProviderConnector(setup, provider, { tokenUrl: trap.url });
    const users = await sessionsFor(setup, 'viewer', 'viewer', 'viewer', 'viewer', 'viewer');
    for (const user of users) await connect(setup, user.cookie, connectorId);
    [victim, ...loadUsers] = users as [UserSession, ...UserSession[]];
    ({ key } = await createApiKey(setup, ['tokens:read', 'on_behalf']));
    instances = await startPostgresInstances(database.url, 2, {
      LATCHKEY_PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
      LATCHKEY_REFRESH_LOCK_WAIT_MS: String(LOCK_WAIT_MS),
    });
  }, 120_000);
  afterAll(async () => {
    await instances?.stop();
    await setup?.stop();
    await trap?.stop();
    await provider?.stop();
    await database?.drop();
  });

  async function tokenCall(instance: Instance, userId: string): Promise<Answer> {
    const started = performance.now();
    const response = await fetch(`${instance.baseUrl}/api/connectors/${connectorId}/_token`, {
      headers: { authorization: `ApiKey ${key}`, 'x-latchkey-user': userId },
    });
    const body = await response.json();
    return {
      instance: instance.baseUrl,
      userId,
      status: response.status,
      code: body.error?.code,
      retryAfter: response.headers.get('retry-after'),
      at: performance.now(),
      tookMs: performance.now() - started,
    };
  }

  /** Workers calling in turn each live instance (a load balancer's rotation), until told. */
  function startLoad(live: () => Instance[]) {
    const answers: Answer[] = [];
    const lost: string[] = [];
    let running = true;
    let turn = 0;
    const workers = Array.from({ length: WORKERS }, async (_, worker) => {
      while (running) {
        turn += 1;
        const targets = live();
        const instance = targets[turn % targets.length] as Instance;
        const user = loadUsers[(turn + worker) % loadUsers.length] as UserSession;
        try {
          answers.push(await tokenCall(instance, user.userId));
        } catch {
          // A call in flight on the instance that was killed: its connection is reset.
          lost.push(instance.baseUrl);
        }
        await sleep(5);
      }
    });
    return {
      answers,
      lost,
      async stop() {
        running = false;
        await Promise.all(workers);
      },
    };
  }

  it('the survivor keeps serving, and every connection ends usable or reauth_required', async () => {
    const [doomed, survivor] = instances.list as [Instance, Instance];
    let live = [doomed, survivor];
    const load = startLoad(() => live);
    await sleep(1500);

    // The victim's token expired long ago: the doomed instance takes its lease and refreshes.
    const victimTokens = await storedTokens(setup, connectorId, victim.userId);
    const trapped = trap.trapRefresh(victimTokens?.refreshToken ?? '');
    const doomedCall = tokenCall(doomed, victim.userId).catch(() => undefined);
    await trapped;
    live = [survivor];
    await killProcessGroup(doomed.service);
    const killedAt = performance.now();
    await doomedCall;
    // Other refreshes the doomed instance had under way when it died: those the provider
    // answered (rotating the refresh token) but it never stored leave a dead refresh token.
    const lostRotation = await usersWithDeadStoredRefreshToken();
    expect(lostRotation.size).toBeLessThan(loadUsers.length);

    const victimAnswers: Answer[] = [];
    while (performance.now() < killedAt + LEASE_TTL_MS + LOCK_WAIT_MS + 1500) {
      victimAnswers.push(await tokenCall(survivor, victim.userId));
      await sleep(100);
    }
    await load.stop();

    // The load made both instances refresh, again and again.
    expect(provider.counts.tokenByGrant.refresh_token).toBeGreaterThan(loadUsers.length);
    const afterLease = killedAt + LEASE_TTL_MS + LOCK_WAIT_MS + 500;
    const bySurvivor = load.answers.filter((a) => a.instance === survivor.baseUrl);
    expect(load.lost.every((baseUrl) => baseUrl === doomed.baseUrl)).toBe(true);
    // Load users: 200; refresh_busy (with when to retry) while a dead lease lives; and
    // reauth_required only for a grant whose rotated refresh token died with the instance.
    for (const answer of load.answers) {
      const ok = answer.status === 200;
      const busy =
        answer.status === 503 &&
        answer.code === 'refresh_busy' &&
        answer.retryAfter === '1' &&
        answer.at < afterLease;
      const lost = answer.code === 'reauth_required' && lostRotation.has(answer.userId);
      expect(ok || busy || lost, JSON.stringify({ ...answer, killedAt })).toBe(true);
      expect(answer.tookMs).toBeLessThan(CALL_BOUND_MS);
    }
    const lastSecond = bySurvivor.filter((a) => a.at > afterLease);
    for (const user of loadUsers) {
      const answers = lastSecond.filter((a) => a.userId === user.userId);
      expect(answers.length).toBeGreaterThan(0);
      const expected = lostRotation.has(user.userId) ? 409 : 200;
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => expected));
    }

    // The victim: busy while the dead lease lives, then the rotated-away grant is gone.
    expect(victimAnswers[0]).toMatchObject({ status: 503, code: 'refresh_busy', retryAfter: '1' });
    const last = victimAnswers.at(-1);
    expect([last?.status, last?.code]).toEqual([409, 'reauth_required']);
    for (const answer of victimAnswers) {
      expect([200, 503, 409]).toContain(answer.status);
      expect(answer.tookMs).toBeLessThan(CALL_BOUND_MS);
    }

    await expectEveryConnectionUsableOrReauth(lostRotation);
    await expectNoLiveLease();
  });

  /**
   * The load users whose stored refresh token the provider no longer takes, and which stays
   * so: a refresh the survivor has under way changes the stored token within moments, while
   * one the dead instance left behind stays until its lease expires.
   */
  async function usersWithDeadStoredRefreshToken(): Promise<Set<string>> {
    const lost = new Set<string>();
    for (const user of loadUsers) {
      let stored = await storedTokens(setup, connectorId, user.userId);
      while (!(await activeAt(provider, [stored?.refreshToken ?? '']))[0]) {
        await sleep(300);
        const again = await storedTokens(setup, connectorId, user.userId);
        if (again?.refreshToken === stored?.refreshToken) {
          lost.add(user.userId);
          break;
        }
        stored = again;
      }
    }
    return lost;
  }

  async function expectEveryConnectionUsableOrReauth(lostRotation: Set<string>) {
    const statuses = new Map<string, string>();
    for (const user of [victim, ...loadUsers]) {
      const connection = await setup.deps.store.connections.find(connectorId, user.userId);
      if (connection?.status === 'connected') {
        expect(() =>
          openCredentials(setup.deps.vault, connection.id, connection.sealedCredentials),
        ).not.toThrow();
      }
      statuses.set(user.userId, connection?.status ?? 'none');
    }
    expect(statuses.get(victim.userId)).toBe('reauth_required');
    expect(loadUsers.map((u) => statuses.get(u.userId))).toEqual(
      loadUsers.map((u) => (lostRotation.has(u.userId) ? 'reauth_required' : 'connected')),
    );
  }

  async function expectNoLiveLease() {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string; expires_at: string }>(
        'select name, expires_at from leases',
      );
      const live = rows.filter((row) => Number(row.expires_at) > Date.now());
      expect(live).toEqual([]);
    } finally {
      await client.end();
    }
  }
});
