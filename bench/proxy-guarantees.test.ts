import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { type AuditedCall, groupCommitted, proxyGuarantees, sqliteAudit } from './proxy-guarantees';

const dir = mkdtempSync(join(tmpdir(), 'latchkey-guarantees-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const call = (userId: string): AuditedCall => ({
  apiKeyId: 'bench-key',
  connectorId: 'connector-1',
  userId,
  status: 200,
});

describe("the guarded forwarder's guarantees", () => {
  it('writes the calls of one event-loop turn together, and each caller waits for it', async () => {
    const writes: string[][] = [];
    let written = false;
    const append = groupCommitted(async (events) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      writes.push(events.map((event) => event.userId));
      written = true;
    });

    const turn = [append(call('u1')), append(call('u2')), append(call('u3'))];
    await turn[0];
    expect(written).toBe(true);
    await Promise.all(turn);
    await append(call('u4'));
    expect(writes).toEqual([['u1', 'u2', 'u3'], ['u4']]);
  });

  it('fails every call of a turn whose write failed', async () => {
    const append = groupCommitted(() => {
      throw new Error('disk full');
    });
    const turn = [append(call('u1')), append(call('u2'))];
    for (const audited of turn) await expect(audited).rejects.toThrow('disk full');
  });

  it('has the rows in SQLite by the time the callers are released', async () => {
    const file = join(dir, 'audit.sqlite');
    const audit = await sqliteAudit(file);
    const reader = new Database(file, { readonly: true });
    const users = () =>
      reader
        .prepare('select subject_user_id from audit_events order by rowid')
        .pluck()
        .all() as string[];

    const turn = [audit.append(call('u1')), audit.append(call('u2'))];
    expect(users()).toEqual([]);
    await turn[0];
    expect(users()).toEqual(['u1', 'u2']);
    await Promise.all(turn);
    reader.close();
    await audit.close();
  });

  it('knows only its own API key, and only in the ApiKey scheme', async () => {
    const audit = await sqliteAudit(join(dir, 'keys.sqlite'));
    const guarantees = proxyGuarantees('lk_secret', audit);
    expect(guarantees.apiKeyId('ApiKey lk_secret')).toBe('bench-key');
    expect(guarantees.apiKeyId('ApiKey lk_other')).toBeUndefined();
    expect(guarantees.apiKeyId('Bearer lk_secret')).toBeUndefined();
    expect(guarantees.apiKeyId(undefined)).toBeUndefined();
    await audit.close();
  });

  it("sets Latchkey's security headers and the proxied answer's policy", async () => {
    const audit = await sqliteAudit(join(dir, 'headers.sqlite'));
    const { securityHeaders } = proxyGuarantees('k', audit);
    expect(securityHeaders['x-content-type-options']).toBe('nosniff');
    expect(securityHeaders['content-security-policy']).toContain('sandbox');
    expect(securityHeaders['cache-control']).toBe('private');
    await audit.close();
  });
});
