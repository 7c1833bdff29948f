import type { SealedColumn, SealedValueRepository } from '@latchkey/core';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../database';

/** Every column that holds vault ciphertext, with the primary key that its AAD names. */
const SEALED_COLUMNS = [
  { table: 'connectors', column: 'secrets', key: 'id' },
  { table: 'connections', column: 'credentials', key: 'id' },
  { table: 'oauth_states', column: 'code_verifier', key: 'state_hash' },
  { table: 'pending_revocations', column: 'token', key: 'id' },
  { table: 'pending_revocations', column: 'client', key: 'id' },
  { table: 'webhook_endpoints', column: 'secret', key: 'id' },
  { table: 'webhook_endpoints', column: 'previous_secret', key: 'id' },
] as const;

type SealedColumnSpec = (typeof SEALED_COLUMNS)[number];

function specOf(column: SealedColumn): SealedColumnSpec {
  const spec = SEALED_COLUMNS.find((c) => c.table === column.table && c.column === column.column);
  if (!spec) throw new Error(`${column.table}.${column.column} is not a sealed column`);
  return spec;
}

export function sealedValuesRepository(db: Kysely<Database>): SealedValueRepository {
  return {
    columns: SEALED_COLUMNS.map(({ table, column }) => ({ table, column })),
    async page(column, afterRowId, limit) {
      const spec = specOf(column);
      const result = await sql<{ row_id: string; sealed: string }>`
        select ${sql.ref(spec.key)} as row_id, ${sql.ref(spec.column)} as sealed
        from ${sql.table(spec.table)}
        where ${sql.ref(spec.key)} > ${afterRowId} and ${sql.ref(spec.column)} is not null
        order by ${sql.ref(spec.key)} limit ${limit}`.execute(db);
      return result.rows.map((r) => ({ rowId: r.row_id, sealed: r.sealed }));
    },
    async replace(column, rowId, expected, next) {
      const spec = specOf(column);
      const result = await sql`
        update ${sql.table(spec.table)} set ${sql.ref(spec.column)} = ${next}
        where ${sql.ref(spec.key)} = ${rowId} and ${sql.ref(spec.column)} = ${expected}`.execute(
        db,
      );
      return Number(result.numAffectedRows ?? 0n) > 0;
    },
  };
}
