import type { EndUserRecord, EndUserRepository } from '@latchkey/core';
import type { Kysely, Selectable } from 'kysely';
import type { Database, UsersTable } from '../database';

/** End users are `users` rows of this kind; Latchkey's own users have kind `user`. */
export const END_USER_KIND = 'end_user';

function toEndUser(row: Selectable<UsersTable>): EndUserRecord {
  return {
    id: row.id,
    externalId: row.external_id ?? '',
    displayName: row.display_name,
    email: row.email,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function endUsersRepository(db: Kysely<Database>): EndUserRepository {
  const findByExternalId = async (externalId: string) => {
    const row = await db
      .selectFrom('users')
      .selectAll()
      .where('kind', '=', END_USER_KIND)
      .where('external_id', '=', externalId)
      .executeTakeFirst();
    return row && toEndUser(row);
  };
  return {
    async ensure(input) {
      // The unique external id settles concurrent inserts: the losers do nothing.
      await db
        .insertInto('users')
        .values({
          id: input.id,
          // Never a valid username (the colon is refused there): no login can name it.
          username: `end-user:${input.id}`,
          role: 'viewer',
          password_hash: '',
          kind: END_USER_KIND,
          external_id: input.externalId,
          display_name: input.displayName ?? null,
          email: input.email ?? null,
          created_at: input.now,
          updated_at: input.now,
        })
        .onConflict((conflict) => conflict.column('external_id').doNothing())
        .execute();
      const profile = {
        ...(input.displayName !== undefined ? { display_name: input.displayName } : {}),
        ...(input.email !== undefined ? { email: input.email } : {}),
      };
      if (Object.keys(profile).length > 0) {
        await db
          .updateTable('users')
          .set({ ...profile, updated_at: input.now })
          .where('kind', '=', END_USER_KIND)
          .where('external_id', '=', input.externalId)
          .execute();
      }
      const row = await findByExternalId(input.externalId);
      if (!row) throw new Error('the end user was deleted while being ensured');
      return row;
    },
    findByExternalId,
    async page(limit, afterExternalId) {
      let query = db
        .selectFrom('users')
        .selectAll()
        .where('kind', '=', END_USER_KIND)
        .orderBy('external_id')
        .limit(limit);
      if (afterExternalId !== undefined) query = query.where('external_id', '>', afterExternalId);
      return (await query.execute()).map(toEndUser);
    },
    async delete(id) {
      const result = await db
        .deleteFrom('users')
        .where('kind', '=', END_USER_KIND)
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}
