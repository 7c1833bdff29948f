import pg from 'pg';
import { timeOrderedId } from '../packages/core/src/ids/time-ordered-id';
import { sha256 } from '../packages/core/src/oauth/hashes';
import { apiHelmetOptions, helmetHeaders } from '../packages/server/src/plugins/security-headers';
import { PROXIED_CONTENT_SECURITY_POLICY } from '../packages/server/src/proxy/proxy-headers';
import { postgresAuditInsert } from '../packages/store/src/dialects/postgres-direct';
import { openSqlite, openSqliteDatabase } from '../packages/store/src/dialects/sqlite';
import { checkpointInBackground } from '../packages/store/src/dialects/sqlite-checkpoints';
import { AUDIT_COLUMNS, auditRowValues } from '../packages/store/src/direct-statements';
import { migrateToLatest } from '../packages/store/src/migrate';

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
  audit: GuardedAudit;
  securityHeaders: Record<string, string>;
}

export interface AuditedCall {
  apiKeyId: string;
  connectorId: string;
  userId: string;
  status: number;
}

export interface GuardedAudit {
  /** Resolves once the call's audit row is committed. */
  append(event: AuditedCall): Promise<void>;
  close(): Promise<void>;
}

export function proxyGuarantees(apiKey: string, audit: GuardedAudit): ProxyGuarantees {
  const keys = new Map([[sha256(apiKey), 'bench-key']]);
  return {
    apiKeyId(authorization) {
      if (!authorization?.startsWith('ApiKey ')) return undefined;
      return keys.get(sha256(authorization.slice('ApiKey '.length)));
    },
    audit,
    securityHeaders: securityHeaders(),
  };
}

/** An audited call's row, bound as Latchkey's direct inserts bind an `api_key_used` event. */
function rowOf(event: AuditedCall, at: number): unknown[] {
  return auditRowValues({
    id: timeOrderedId(at),
    created_at: at,
    action: 'api_key_used',
    outcome: event.status < 400 ? 'success' : 'failure',
    reason: `proxy:${event.status}`,
    api_key_id: event.apiKeyId,
    subject_user_id: event.userId,
    connector_id: event.connectorId,
  });
}

/**
 * The calls audited in one event-loop turn, written together once it ends; each caller waits
 * for the write that holds its row (Latchkey's `audit-batcher.ts`).
 */
export function groupCommitted(
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

/**
 * In an SQLite file of its own, one transaction per turn (Latchkey's direct statements), into
 * the `audit_events` table Latchkey's migrations create there (with the rest of its schema,
 * empty), checkpointed by a worker as Latchkey's store is. Latchkey's audit shares its file,
 * and its WAL, with the connections it reads: this one is a little cheaper for it.
 */
export async function sqliteAudit(file: string): Promise<GuardedAudit> {
  const schema = openSqlite(file);
  await migrateToLatest(schema);
  await schema.destroy();
  const db = openSqliteDatabase(file);
  const checkpoints = checkpointInBackground(db, file, (error) => {
    // An audit no longer checkpointed as Latchkey's is would compare unlike work: stop.
    throw error;
  });
  const insert = db.prepare(
    `insert into audit_events (${AUDIT_COLUMNS.join(', ')})
     values (${AUDIT_COLUMNS.map(() => '?').join(', ')})`,
  );
  const insertAll = db.transaction((events: AuditedCall[], at: number) => {
    for (const event of events) insert.run(rowOf(event, at));
  });
  return {
    append: groupCommitted(insertAll),
    close: async () => {
      await checkpoints.stop();
      db.close();
    },
  };
}

/**
 * One multi-row insert per turn, prepared and committed as Latchkey's direct statement is, into a
 * copy of Latchkey's `audit_events` (its columns and indexes) in the tokens' PostgreSQL
 * database, on a pool of its own. The table is this process's own: two baselines starting
 * together would race on one `create table if not exists`.
 */
export async function postgresAudit(url: string): Promise<GuardedAudit> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const table = `bench_audit_${process.pid}`;
  await pool.query(`create table if not exists ${table} (like audit_events including all)`);
  return {
    append: groupCommitted(async (events, at) => {
      await pool.query({
        name: `bench-audit-insert-${events.length}`,
        text: postgresAuditInsert(events.length, table),
        values: events.flatMap((event) => rowOf(event, at)),
      });
    }),
    close: () => pool.end(),
  };
}

/** Latchkey's security headers on a proxied answer, and its private caching. */
function securityHeaders(): Record<string, string> {
  return {
    ...helmetHeaders(apiHelmetOptions('http://127.0.0.1')),
    'content-security-policy': PROXIED_CONTENT_SECURITY_POLICY,
    'cache-control': 'private',
  };
}
