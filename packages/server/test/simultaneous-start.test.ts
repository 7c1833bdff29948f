import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestPostgresDatabase, type TestPostgresDatabase } from '@latchkey/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { perUserConnectorBody } from './support/connector-bodies';
import {
  freePort,
  killProcessGroup,
  type SpawnedService,
  spawnService,
} from './support/spawned-service';

const PASSWORD_ANNOUNCEMENT = /with the password:\n\n {4}(\S+)\n/g;
const INSTANCES = 3;
const ROUNDS = 3;

interface Instance {
  service: SpawnedService;
  baseUrl: string;
}

/**
 * Orchestrators start every instance of a deployment at once, on a fresh data directory the
 * first time: migrations, the key file and the first admin must come out exactly once. On
 * the data directory's SQLite file, or (`TEST_DATABASE=postgres`) on a fresh PostgreSQL
 * database per round.
 */
describe('several instances started at the same moment on one empty data directory', () => {
  const started: Instance[] = [];
  const dataDirs: string[] = [];
  const databases: TestPostgresDatabase[] = [];

  afterAll(async () => {
    await Promise.all(started.map(({ service }) => killProcessGroup(service)));
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    await Promise.all(databases.map((database) => database.drop()));
  });

  /** An empty database for the round: the data directory's SQLite file unless on PostgreSQL. */
  async function emptyDatabase(): Promise<Record<string, string>> {
    if (process.env.TEST_DATABASE !== 'postgres') return {};
    const database = await createTestPostgresDatabase();
    databases.push(database);
    return { LATCHKEY_DATABASE_URL: database.url };
  }

  async function startTogether(dataDir: string): Promise<Instance[]> {
    const database = await emptyDatabase();
    const ports = await Promise.all(Array.from({ length: INSTANCES }, () => freePort()));
    const instances = ports.map((port) => {
      const baseUrl = `http://localhost:${port}`;
      const service = spawnService(
        {
          LATCHKEY_DATA_DIR: dataDir,
          LATCHKEY_PORT: String(port),
          LATCHKEY_PUBLIC_BASE_URL: baseUrl,
          ...database,
        },
        { detached: true },
      );
      return { service, baseUrl };
    });
    started.push(...instances);
    return instances;
  }

  async function logIn(baseUrl: string, password: string): Promise<string> {
    const response = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    expect(response.status).toBe(200);
    return response.headers.getSetCookie()[0]?.split(';')[0] as string;
  }

  async function send(
    baseUrl: string,
    method: string,
    path: string,
    cookie: string,
    body?: unknown,
  ) {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: await response.json() };
  }

  it.each(Array.from({ length: ROUNDS }, (_, round) => round + 1))(
    'round %i: all come up, one admin, its password printed once, one key file',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-together-'));
      dataDirs.push(dataDir);
      const instances = await startTogether(dataDir);
      // Generous: three instances start at once on two shared cores.
      await Promise.all(
        instances.map(({ service, baseUrl }) => service.waitUntilReady(baseUrl, 60_000)),
      );

      const announced = instances.flatMap(({ service }) =>
        [...service.stderr().matchAll(PASSWORD_ANNOUNCEMENT)].map((m) => m[1] as string),
      );
      expect(announced).toHaveLength(1);
      const generatedKeyFile = instances.filter(({ service }) =>
        service.stdout().includes('generated an encryption key file'),
      );
      expect(generatedKeyFile).toHaveLength(1);
      expect(
        readFileSync(join(dataDir, 'encryption-keys'), 'utf8').trim().split('\n'),
      ).toHaveLength(1);

      const cookies = await Promise.all(
        instances.map(({ baseUrl }) => logIn(baseUrl, announced[0] as string)),
      );
      const [first] = instances as [Instance];
      const users = await send(first.baseUrl, 'GET', '/api/users', cookies[0] as string);
      expect(users.json.users.map((u: { username: string }) => u.username)).toEqual(['admin']);

      // A secret sealed by one instance opens on every other: they share one key.
      const created = await send(
        first.baseUrl,
        'POST',
        '/api/connectors',
        cookies[0] as string,
        perUserConnectorBody(),
      );
      expect(created.status).toBe(201);
      const { secrets: _kept, ...withoutSecrets } = perUserConnectorBody({
        name: created.json.name,
      });
      for (const [index, { baseUrl }] of instances.entries()) {
        const updated = await send(
          baseUrl,
          'PUT',
          `/api/connectors/${created.json.id}`,
          cookies[index] as string,
          withoutSecrets,
        );
        expect(updated.status).toBe(200);
      }
    },
    120_000,
  );
});
