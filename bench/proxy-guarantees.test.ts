import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { type AuditedCall, proxyGuarantees, sqliteAudit } from './proxy-guarantees';

const dir = mkdtempSync(join(tmpdir(), 'latchkey-guarantees-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const call = (userId: string): AuditedCall => ({
  apiKeyId: 'bench-key',
  connectorId: 'connector-1',
  userId,
  status: 200,
});

describe("the guarded forwarder's guarantees", () => {
  it('has each call audited by the time its promise resolves, a turn in one commit', async () => {
    const file = join(dir, 'audit.sqlite');
    const audit = sqliteAudit(file);
    const reader = new Database(file, { readonly: true });
    const rows = () =>
      reader.prepare('select subject_user_id, created_at from audit_events').all() as {
        subject_user_id: string;
        created_at: number;
      }[];

    const turn = [audit(call('u1')), audit(call('u2')), audit(call('u3'))];
    expect(rows()).toEqual([]);
    await turn[0];
    expect(rows().map((row) => row.subject_user_id)).toEqual(['u1', 'u2', 'u3']);
    // One write for the turn: one time for all three rows.
    expect(new Set(rows().map((row) => row.created_at)).size).toBe(1);
    await Promise.all(turn);

    await audit(call('u4'));
    expect(rows().map((row) => row.subject_user_id)).toEqual(['u1', 'u2', 'u3', 'u4']);
    reader.close();
  });

  it('knows only its own API key, and only in the ApiKey scheme', () => {
    const guarantees = proxyGuarantees('lk_secret', sqliteAudit(join(dir, 'keys.sqlite')));
    expect(guarantees.apiKeyId('ApiKey lk_secret')).toBe('bench-key');
    expect(guarantees.apiKeyId('ApiKey lk_other')).toBeUndefined();
    expect(guarantees.apiKeyId('Bearer lk_secret')).toBeUndefined();
    expect(guarantees.apiKeyId(undefined)).toBeUndefined();
  });

  it("sets Latchkey's security headers and the proxied answer's policy", () => {
    const { securityHeaders } = proxyGuarantees('k', sqliteAudit(join(dir, 'headers.sqlite')));
    expect(securityHeaders['x-content-type-options']).toBe('nosniff');
    expect(securityHeaders['content-security-policy']).toContain('sandbox');
    expect(securityHeaders['cache-control']).toBe('private');
  });
});
