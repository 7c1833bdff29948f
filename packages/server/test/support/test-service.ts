import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Catalog } from '@latchkey/catalog';
import type { Role } from '@latchkey/core';
import { type DatabaseLocation, parseDatabaseUrl } from '@latchkey/store';
import { createTestPostgresDatabase, type TestPostgresDatabase } from '@latchkey/testing';
import type { LightMyRequestResponse } from 'fastify';
import { type Config, loadConfig } from '../../src/config';
import type { EgressOptions } from '../../src/egress';
import { createLogger } from '../../src/logger';
import { sessionCookieName } from '../../src/plugins/sessions';
import { openService, type Service } from '../../src/service';

export const ADMIN_PASSWORD = 'admin-password-for-tests';
export const TEST_KEY_A = `ka:${Buffer.alloc(32, 1).toString('base64')}`;
export const TEST_KEY_B = `kb:${Buffer.alloc(32, 2).toString('base64')}`;
export const PUBLIC_BASE_URL = 'http://localhost:5601';

export interface TestService extends Service {
  dataDir: string;
  /** The database the service uses: read it behind its back with `database-queries.ts`. */
  database: DatabaseLocation;
  /** Where the SQLite file is (or would be): for the tests about the file itself. */
  databaseFile: string;
  clock: { now: number };
  /** Everything the service logged, one JSON object per line. */
  logs(): string;
  login(username: string, password: string): Promise<string>;
  /**
   * A request on the service's one admin session: logging in runs scrypt, slow and
   * rate-limited on purpose, so a new session only once the last has expired or ended.
   */
  asAdmin(options: Omit<RequestOptions, 'cookie'>): Promise<LightMyRequestResponse>;
  /** Creates a user with that role (as admin) and returns a logged-in session cookie. */
  sessionFor(role: Role, username?: string): Promise<{ cookie: string; userId: string }>;
  request(options: RequestOptions): Promise<LightMyRequestResponse>;
  /**
   * Closes the service and removes its data directory and database, unless `keepData`:
   * stopping it again then removes them.
   */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export interface RequestOptions {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  cookie?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** The client address the server sees (per-address rate limits); 127.0.0.1 by default. */
  remoteAddress?: string;
}

/**
 * A real service on a fresh SQLite file, called in-process through `inject`. `overrides`
 * replace parsed settings, for a setting the environment can no longer express; `egress`
 * can give its outbound connections a DNS lookup of the test's own.
 *
 * With `TEST_DATABASE=postgres` in the environment, each service gets a PostgreSQL database
 * of its own instead (dropped at `stop`), unless the test names a database itself; services
 * started on one data directory share it. Tests about the SQLite file itself
 * (`databaseFile`) are SQLite-only: see `vitest.config.ts`.
 */
export async function startTestService(
  env: Record<string, string> = {},
  dataDir = mkdtempSync(join(tmpdir(), 'latchkey-test-')),
  options: { overrides?: Partial<Config>; egress?: EgressOptions; catalog?: Catalog } = {},
): Promise<TestService> {
  const postgres = await postgresForTests(env, dataDir);
  const parsed = loadConfig({
    LATCHKEY_DATA_DIR: dataDir,
    LATCHKEY_ENCRYPTION_KEYS: TEST_KEY_A,
    LATCHKEY_ADMIN_PASSWORD: ADMIN_PASSWORD,
    LATCHKEY_PUBLIC_BASE_URL: PUBLIC_BASE_URL,
    LATCHKEY_ALLOW_HTTP_LOOPBACK: 'true',
    LATCHKEY_LOG_LEVEL: 'debug',
    // Parallel test files would all want the default port.
    LATCHKEY_METRICS_ADDRESS: 'off',
    ...(postgres ? { LATCHKEY_DATABASE_URL: postgres.url } : {}),
    ...env,
  });
  const config = { ...parsed, ...options.overrides };
  const lines: string[] = [];
  const logger = createLogger(config.logLevel, { write: (line: string) => lines.push(line) });
  const clock = { now: Date.now() };
  const service = await openService(config, logger, {
    now: () => clock.now,
    announce: () => {},
    ...(options.egress ? { egress: options.egress } : {}),
    ...(options.catalog ? { catalog: options.catalog } : {}),
  });
  const request = (options: RequestOptions) => inject(service, options);
  let users = 0;
  let closed = false;
  let adminSession = Promise.resolve('');
  const testService: TestService = {
    ...service,
    dataDir,
    database: parseDatabaseUrl(config.databaseUrl),
    databaseFile: join(dataDir, 'latchkey.sqlite'),
    clock,
    logs: () => lines.join(''),
    request,
    async login(username, password) {
      const response = await request({
        method: 'POST',
        url: '/api/auth/login',
        body: { username, password },
      });
      if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`);
      const name = sessionCookieName(config.publicBaseUrl);
      const cookie = response.cookies.find((c) => c.name === name);
      return `${name}=${cookie?.value}`;
    },
    async asAdmin(options) {
      const session = adminSession;
      const response = await request({ ...options, cookie: await session });
      if (response.statusCode !== 401) return response;
      // Parallel calls that found the same session gone share one login.
      if (adminSession === session) adminSession = testService.login('admin', ADMIN_PASSWORD);
      return request({ ...options, cookie: await adminSession });
    },
    async sessionFor(role, username = `${role}-${++users}`) {
      const password = `${username}-password`;
      const body = { username, password, role };
      const created = await testService.asAdmin({ method: 'POST', url: '/api/users', body });
      if (created.statusCode !== 201) throw new Error(`user not created: ${created.body}`);
      return { cookie: await testService.login(username, password), userId: created.json().id };
    },
    async stop(options = {}) {
      if (!closed) await service.close();
      closed = true;
      if (!options.keepData) {
        rmSync(dataDir, { recursive: true, force: true });
        postgresByDataDir.delete(dataDir);
        await postgres?.drop();
      }
    },
  };
  return testService;
}

/**
 * The settings that point another process (the CLI) at the service's data: its data
 * directory, and its PostgreSQL database when it has one.
 */
export function dataEnv(service: TestService): Record<string, string> {
  return {
    LATCHKEY_DATA_DIR: service.dataDir,
    ...(service.database.dialect === 'postgres'
      ? { LATCHKEY_DATABASE_URL: service.database.url }
      : {}),
  };
}

/** Services started on one data directory share a database, as they share an SQLite file. */
const postgresByDataDir = new Map<string, Promise<TestPostgresDatabase>>();

/** A database of the service's own when the run asks for PostgreSQL (`TEST_DATABASE`). */
async function postgresForTests(
  env: Record<string, string>,
  dataDir: string,
): Promise<TestPostgresDatabase | undefined> {
  if (process.env.TEST_DATABASE !== 'postgres' || env.LATCHKEY_DATABASE_URL) return undefined;
  let database = postgresByDataDir.get(dataDir);
  if (!database) {
    database = createTestPostgresDatabase();
    postgresByDataDir.set(dataDir, database);
  }
  return database;
}

function inject(service: Service, options: RequestOptions) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  const hasBody = options.body !== undefined;
  if (hasBody && !headers['content-type']) headers['content-type'] = 'application/json';
  return service.app.inject({
    method: options.method,
    url: options.url,
    headers,
    ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
    ...(hasBody
      ? { payload: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }
      : {}),
  });
}
