import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { loadCatalog } from '@latchkey/catalog';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_NODE_FLAGS, SERVER_BUNDLE } from '../../../scripts/server-bundle';
import { perUserConnectorBody } from './support/connector-bodies';
import { REPO_ROOT } from './support/run-latchkey';
import {
  freePort,
  type SpawnedService,
  START_SCRIPT_BUILDS,
  spawnService,
  startScript,
} from './support/spawned-service';

const PASSWORD_ANNOUNCEMENT = /with the password:\n\n {4}(\S+)\n/g;

async function call(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  cookie?: string,
) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (cookie) headers.cookie = cookie;
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined, response };
}

async function logIn(baseUrl: string, password: string): Promise<string> {
  const { status, response } = await call(baseUrl, 'POST', '/api/auth/login', {
    username: 'admin',
    password,
  });
  expect(status).toBe(200);
  return response.headers.getSetCookie()[0]?.split(';')[0] as string;
}

async function stop(service: SpawnedService): Promise<number | null> {
  service.child.kill('SIGTERM');
  return service.exited;
}

describe('npm start on an empty data directory, then a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-start-'));
  const keyFile = join(dataDir, 'encryption-keys');
  let env: Record<string, string>;
  let baseUrl: string;
  let running: SpawnedService | undefined;
  let adminPassword: string;
  let connector: { id: string; name: string };

  beforeAll(async () => {
    const port = await freePort();
    baseUrl = `http://localhost:${port}`;
    env = {
      LATCHKEY_DATA_DIR: dataDir,
      LATCHKEY_PORT: String(port),
      LATCHKEY_PUBLIC_BASE_URL: baseUrl,
    };
  });
  afterEach(async () => {
    if (running && running.child.exitCode === null) await stop(running);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('comes up, prints the admin password once on stderr, and generates a 0600 key file with a warning', async () => {
    running = spawnService(env);
    await running.waitUntilReady(baseUrl);
    const announced = [...running.stderr().matchAll(PASSWORD_ANNOUNCEMENT)].map((m) => m[1]);
    expect(announced).toHaveLength(1);
    adminPassword = announced[0] as string;
    expect(running.stdout()).not.toContain(adminPassword);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    for (const name of ['latchkey.sqlite', 'latchkey.sqlite-wal']) {
      expect(statSync(join(dataDir, name)).mode & 0o777).toBe(0o600);
    }
    const warning = running
      .stdout()
      .split('\n')
      .filter((line) => line.includes('generated an encryption key file'))
      .map((line) => JSON.parse(line));
    expect(warning).toEqual([expect.objectContaining({ level: 40, file: keyFile })]);
    expect(readFileSync(keyFile, 'utf8')).not.toBe('');

    const cookie = await logIn(baseUrl, adminPassword);
    const created = await call(baseUrl, 'POST', '/api/connectors', perUserConnectorBody(), cookie);
    expect(created.status).toBe(201);
    connector = created.json;
    expect(await stop(running)).toBe(0);
    expect(running.stdout()).toContain('shutting down');
  });

  it('keeps the admin, the key file and the connector (whose secret still decrypts) after a restart', async () => {
    const keysBefore = readFileSync(keyFile, 'utf8');
    running = spawnService(env);
    await running.waitUntilReady(baseUrl);
    expect(running.stderr()).not.toMatch(PASSWORD_ANNOUNCEMENT);
    expect(running.stdout()).not.toContain('generated an encryption key file');
    expect(readFileSync(keyFile, 'utf8')).toBe(keysBefore);

    const cookie = await logIn(baseUrl, adminPassword);
    const list = await call(baseUrl, 'GET', '/api/connectors', undefined, cookie);
    expect(list.json.connectors.map((c: { id: string }) => c.id)).toEqual([connector.id]);
    const { secrets: _kept, ...withoutSecrets } = perUserConnectorBody({ name: connector.name });
    const updated = await call(
      baseUrl,
      'PUT',
      `/api/connectors/${connector.id}`,
      withoutSecrets,
      cookie,
    );
    expect(updated.status).toBe(200);
    expect(updated.json.secretsSet).toEqual(['clientSecret']);
    expect(await stop(running)).toBe(0);
  });

  it('finds the files next to its sources: the shipped provider catalog and the built web UI', async () => {
    running = spawnService(env);
    await running.waitUntilReady(baseUrl);
    const cookie = await logIn(baseUrl, adminPassword);
    const providers = await call(baseUrl, 'GET', '/api/providers', undefined, cookie);
    expect(providers.json.providers.map((p: { id: string }) => p.id)).toEqual(
      loadCatalog()
        .list()
        .map((p) => p.id),
    );
    const page = await fetch(`${baseUrl}/`);
    expect(page.status).toBe(200);
    const script = /<script type="module" crossorigin src="(\/assets\/[^"]+)"/.exec(
      await page.text(),
    )?.[1];
    expect(script).toBeDefined();
    expect((await fetch(`${baseUrl}${script}`, { method: 'HEAD' })).status).toBe(200);
    expect(await stop(running)).toBe(0);
  });
});

describe('npm start', () => {
  it('runs the bundle these tests start, with the same flags', () => {
    const command = ['node', ...BUNDLE_NODE_FLAGS, relative(REPO_ROOT, SERVER_BUNDLE)].join(' ');
    expect(startScript()).toBe(`${START_SCRIPT_BUILDS} && exec ${command}`);
  });

  it('hands a SIGTERM to the server, which shuts down, rather than orphaning it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-sigterm-'));
    const port = await freePort();
    const baseUrl = `http://localhost:${port}`;
    // npm passes a SIGTERM on to the shell that runs the start script: a container's stop.
    const shell = spawnService(
      {
        LATCHKEY_DATA_DIR: dataDir,
        LATCHKEY_PORT: String(port),
        LATCHKEY_PUBLIC_BASE_URL: baseUrl,
      },
      { startScriptShell: true },
    );
    try {
      await shell.waitUntilReady(baseUrl);
      shell.child.kill('SIGTERM');
      expect(await shell.exited).toBe(0);
      expect(shell.stdout()).toContain('shutting down');
      await expect(fetch(`${baseUrl}/readyz`)).rejects.toThrow();
    } finally {
      shell.child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('npm start with a bad configuration', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-bad-config-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each([
    ['LATCHKEY_PORT', 'abc', 'LATCHKEY_PORT: expected an integer from 1 to 65535'],
    [
      'LATCHKEY_ENCRYPTION_KEYS',
      `k1:${Buffer.alloc(16).toString('base64')}`,
      'LATCHKEY_ENCRYPTION_KEYS: key "k1" must be 32 bytes',
    ],
    [
      'LATCHKEY_TRUST_PROXY',
      'true',
      'LATCHKEY_TRUST_PROXY: expected a hop count from 1 to 10 (1 behind one load balancer), or proxy addresses and CIDRs',
    ],
  ])('%s=%s exits non-zero with a message naming the variable', async (name, value, message) => {
    const service = spawnService({ LATCHKEY_DATA_DIR: dataDir, [name]: value });
    expect(await service.exited).toBe(1);
    expect(service.stderr()).toContain(message);
    if (name === 'LATCHKEY_ENCRYPTION_KEYS') expect(service.stderr()).not.toContain(value);
    expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([]);
  });
});
