import type { Role, UserRecord, UserRepository } from '@latchkey/core';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, UsersTable } from '../database';

/** Every read and write here is of Latchkey's own users; end users are another repository's. */
const USER_KIND = 'user';

function toUser(row: Selectable<UsersTable>): UserRecord {
  return {
    id: row.id,
    username: row.username,
    role: row.role as Role,
    passwordHash: row.password_hash,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function usersRepository(db: Kysely<Database>): UserRepository {
  return {
    async insert(user) {
      await db
        .insertInto('users')
        .values({
          id: user.id,
          username: user.username,
          role: user.role,
          password_hash: user.passwordHash,
          created_at: user.createdAt,
          updated_at: user.updatedAt,
        })
        .execute();
    },
    async insertIfNoUsers(user) {
      // One statement: SQLite takes its write lock before the read; on PostgreSQL a second
      // insert waits on the unique username and then does nothing. The casts type the
      // parameters for PostgreSQL, which cannot infer them in a select list.
      const result = await sql`
        insert into users (id, username, role, password_hash, created_at, updated_at)
        select cast(${user.id} as text), cast(${user.username} as text),
          cast(${user.role} as text), cast(${user.passwordHash} as text),
          cast(${user.createdAt} as bigint), cast(${user.updatedAt} as bigint)
        where not exists (select 1 from users where kind = ${USER_KIND})
        on conflict do nothing`.execute(db);
      return (result.numAffectedRows ?? 0n) > 0n;
    },
    async findById(id) {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('kind', '=', USER_KIND)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toUser(row);
    },
    async findByUsername(username) {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('kind', '=', USER_KIND)
        .where('username', '=', username)
        .executeTakeFirst();
      return row && toUser(row);
    },
    async list() {
      const rows = await db
        .selectFrom('users')
        .selectAll()
        .where('kind', '=', USER_KIND)
        .orderBy('username')
        .execute();
      return rows.map(toUser);
    },
    async update(id, patch) {
      const result = await db
        .updateTable('users')
        .set({
          ...(patch.role ? { role: patch.role } : {}),
          ...(patch.passwordHash ? { password_hash: patch.passwordHash } : {}),
          updated_at: patch.updatedAt,
        })
        .where('kind', '=', USER_KIND)
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async delete(id) {
      const result = await db
        .deleteFrom('users')
        .where('kind', '=', USER_KIND)
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
    async countByRole(role) {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('kind', '=', USER_KIND)
        .where('role', '=', role)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async count() {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('kind', '=', USER_KIND)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
