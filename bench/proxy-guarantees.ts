import { hash } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { timeOrderedId } from '../packages/core/src/ids/time-ordered-id';
import { apiHelmetOptions, helmetHeaders } from '../packages/server/src/plugins/security-headers';
import { PROXIED_CONTENT_SECURITY_POLICY } from '../packages/server/src/proxy/proxy-headers';
import { SQLITE_PRAGMAS } from '../packages/store/src/dialects/sqlite';

/**
 * What Latchkey's proxy guarantees beyond forwarding with the stored token, each done the
 * way Latchkey does it on its cheapest path, for the guarded forwarder of
 * `baseline-process.ts`: is the proxy target reachable by a proxy that keeps these
 * guarantees and does nothing else?
 * - the caller is authenticated: the API key's SHA-256 found in memory (Latchkey's cache hit);
 * - every call is audited before it is answered: one row, committed in a group per
 *   event-loop turn, in a table shaped as Latchkey's (`audit_events`, time-ordered ids);
 * - every answer carries the security headers: helmet's, computed once, and the proxied
 *   answer's own policy.
 * No access rules, header rules, limits, metrics or logging: those are Latchkey's to add.
 */
export interface ProxyGuarantees {
  /** The key's id for a known `Authorization: ApiKey …`, else undefined. */
  apiKeyId(authorization: string | undefined): string | undefined;
  /** Resolves once the call's audit row is committed. */
  audit(event: AuditedCall): Promise<void>;
  securityHeaders: Record<string, string>;
}

export interface AuditedCall {
  apiKeyId: string;
  connectorId: string;
  userId: string;
  status: number;
}

export function proxyGuarantees(
  apiKey: string,
  audit: (event: AuditedCall) => Promise<void>,
): ProxyGuarantees {
  const keys = new Map([[digestOf(apiKey), 'bench-key']]);
  return {
    apiKeyId(authorization) {
      if (!authorization?.startsWith('ApiKey ')) return undefined;
      return keys.get(digestOf(authorization.slice('ApiKey '.length)));
    },
    audit,
    securityHeaders: securityHeaders(),
  };
}

function digestOf(key: string): string {
  return hash('sha256', key, 'base64url');
}

const COLUMNS = `id text primary key, created_at bigint not null, action text not null,
  outcome text not null, reason text, actor_user_id text, api_key_id text,
  subject_user_id text, connector_id text, details text`;

/** The values of an audited call's row, as Latchkey writes an `api_key_used` event. */
function rowOf(event: AuditedCall, at: number) {
  return [
    timeOrderedId(at),
    at,
    'api_key_used',
    event.status < 400 ? 'success' : 'failure',
    `proxy:${event.status}`,
    event.apiKeyId,
    event.userId,
    event.connectorId,
  ];
}
const INSERTED =
  'id, created_at, action, outcome, reason, api_key_id, subject_user_id, connector_id';

/**
 * The calls audited in one event-loop turn, written together once it ends; each caller waits
 * for the write that holds its row (Latchkey's `audit-batcher.ts`).
 */
function groupCommitted(
  write: (events: AuditedCall[], at: number) => void | Promise<void>,
): (event: AuditedCall) => Promise<void> {
  let pending: AuditedCall[] = [];
  let committed: Promise<void> | undefined;
  return (event) => {
    pending.push(event);
    committed ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      const events = pending;
      pending = [];
      committed = undefined;
      return write(events, Date.now());
    });
    return committed;
  };
}

/** In an SQLite file of its own, one transaction per turn (Latchkey's direct statements). */
export function sqliteAudit(file: string): (event: AuditedCall) => Promise<void> {
  const db = new Database(file);
  for (const pragma of SQLITE_PRAGMAS) db.pragma(pragma);
  db.exec(`create table if not exists audit_events (${COLUMNS});
    create index if not exists audit_events_created_at_id on audit_events (created_at, id)`);
  const insert = db.prepare(`insert into audit_events (${INSERTED}) values (${'?, '.repeat(7)}?)`);
  const insertAll = db.transaction((events: AuditedCall[], at: number) => {
    for (const event of events) insert.run(rowOf(event, at));
  });
  return groupCommitted(insertAll);
}

/**
 * In a table of this process's own in the PostgreSQL database of the tokens, one multi-row
 * insert per turn (Latchkey's direct statements).
 */
export async function postgresAudit(url: string): Promise<(event: AuditedCall) => Promise<void>> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const table = `bench_audit_${process.pid}`;
  await pool.query(`create table if not exists ${table} (${COLUMNS});
    create index if not exists ${table}_created_at_id on ${table} (created_at, id)`);
  return groupCommitted(async (events, at) => {
    const values = events.flatMap((event) => rowOf(event, at));
    const rows = events.map((_, i) => `(${[1, 2, 3, 4, 5, 6, 7, 8].map((c) => `$${i * 8 + c}`)})`);
    await pool.query(`insert into ${table} (${INSERTED}) values ${rows.join(', ')}`, values);
  });
}

/** Latchkey's security headers on a proxied answer, and its private caching. */
function securityHeaders(): Record<string, string> {
  return {
    ...helmetHeaders(apiHelmetOptions('http://127.0.0.1')),
    'content-security-policy': PROXIED_CONTENT_SECURITY_POLICY,
    'cache-control': 'private',
  };
}
