import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEncryptionKeys } from '@latchkey/core';
import { afterAll, describe, expect, it } from 'vitest';
import { queryDatabase } from './support/database-queries';
import { type CliResult, runLatchkey } from './support/run-latchkey';
import { startTestService, TEST_KEY_A } from './support/test-service';

const ROLES_MESSAGE = 'role: Invalid option: expected one of "admin"|"editor"|"viewer"';

describe('npx latchkey users …', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-cli-'));
  const env = { LATCHKEY_DATA_DIR: dataDir, LATCHKEY_ENCRYPTION_KEYS: TEST_KEY_A };
  const latchkey = (args: string, stdin?: string) => runLatchkey(args.split(' '), env, stdin);
  const database = { dialect: 'sqlite', file: join(dataDir, 'latchkey.sqlite') } as const;
  const roles = async () =>
    Object.fromEntries(
      (
        await queryDatabase<{ username: string; role: string }>(
          { database },
          'select username, role from users',
        )
      ).map((u) => [u.username, u.role]),
    );
  const expectFailure = (result: CliResult, message: string) => {
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(message);
    expect(result.stdout).toBe('');
  };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('adds a user with a password from stdin, never echoing it', async () => {
    const result = await latchkey(
      'users add alice --role editor --password-stdin',
      'alice-stdin-password\n',
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^created alice \(editor\) with id [0-9a-f-]{36}\n$/);
    expect(result.stdout + result.stderr).not.toContain('alice-stdin-password');
    expect(await roles()).toEqual({ alice: 'editor' });
  });

  it('adds a viewer by default with a generated password shown once, which logs in', async () => {
    const result = await latchkey('users add bob');
    expect(result.code).toBe(0);
    const password = /password \(shown once\): (\S+)/.exec(result.stdout)?.[1];
    expect(password).toMatch(/^[\w-]{24}$/);
    expect(await roles()).toMatchObject({ bob: 'viewer' });
    const service = await startTestService({}, dataDir);
    try {
      expect(await service.login('bob', password as string)).toMatch(/^latchkey_session=/);
      expect(await service.login('alice', 'alice-stdin-password')).toMatch(/^latchkey_session=/);
    } finally {
      await service.stop({ keepData: true });
    }
  });

  it('lists users as id, username and role', async () => {
    const result = await latchkey('users list');
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => line.split('\t'));
    expect(lines.map(([, username, role]) => `${username}:${role}`)).toContain('alice:editor');
    expect(lines.map(([, username, role]) => `${username}:${role}`)).toContain('bob:viewer');
    expect(lines.every(([id]) => /^[0-9a-f-]{36}$/.test(id as string))).toBe(true);
  });

  it('sets a role', async () => {
    const result = await latchkey('users set-role alice admin');
    expect(result.stdout).toBe('alice is now admin\n');
    expect(await roles()).toMatchObject({ alice: 'admin' });
  });

  // Refusals change nothing, so they run side by side.
  it('refuses a bad role with a clear message and exit code 1, changing nothing', async () => {
    const before = await roles();
    const [add, setRole] = await Promise.all([
      latchkey('users add carol --role superuser'),
      latchkey('users set-role bob boss'),
    ]);
    expectFailure(add, ROLES_MESSAGE);
    expectFailure(setRole, ROLES_MESSAGE);
    expect(await roles()).toEqual(before);
  });

  it('refuses a short password, a taken username and an unknown user', async () => {
    const [short, taken, unknown] = await Promise.all([
      latchkey('users add dave --password-stdin', 'short\n'),
      latchkey('users add alice'),
      latchkey('users remove nobody'),
    ]);
    expectFailure(short, 'password: at least 12 characters');
    expectFailure(taken, 'That username is taken.');
    expectFailure(unknown, 'No user named "nobody".');
    expect(Object.keys(await roles()).sort()).toEqual(['alice', 'bob']);
  });

  it('removes a user but never the last admin', async () => {
    expect((await latchkey('users remove bob')).stdout).toBe('removed bob\n');
    const refusals = await Promise.all([
      latchkey('users remove alice'),
      latchkey('users set-role alice viewer'),
    ]);
    for (const refusal of refusals) {
      expectFailure(refusal, 'The last admin cannot be removed or demoted.');
    }
    expect(await roles()).toEqual({ alice: 'admin' });
  });

  it('prints usage and exits 1 for an unknown command', async () => {
    const result = await latchkey('users promote alice');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^usage:\n {2}latchkey users add/);
  });

  it('generates a key entry that LATCHKEY_ENCRYPTION_KEYS accepts', async () => {
    const result = await latchkey('keys generate');
    expect(result.code).toBe(0);
    const [key] = parseEncryptionKeys(result.stdout.trim());
    expect(key?.id).toMatch(/^k\d{14}$/);
    expect(key?.key).toHaveLength(32);
  });

  it('writes its warnings to stderr, keeping stdout for what the command answers', async () => {
    // No key configured: the CLI generates the key file, and warns to back it up.
    const freshDir = mkdtempSync(join(tmpdir(), 'latchkey-cli-fresh-'));
    try {
      const result = await runLatchkey(['users', 'add', 'carol'], { LATCHKEY_DATA_DIR: freshDir });
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^created carol \(viewer\) with id [0-9a-f-]{36}\n/);
      expect(result.stdout).not.toContain('"level"');
      const warning = JSON.parse(result.stderr.trim());
      expect(warning).toMatchObject({ level: 40, msg: expect.stringContaining('encryption key') });
    } finally {
      rmSync(freshDir, { recursive: true, force: true });
    }
  });
});
