import type { OAuthStateRepository, StoredOAuthState } from '@latchkey/core';
import type { Kysely, Selectable } from 'kysely';
import type { Database, OAuthStatesTable } from '../database';

function toState(row: Selectable<OAuthStatesTable>): StoredOAuthState {
  return {
    stateHash: row.state_hash,
    connectorId: row.connector_id,
    userId: row.user_id,
    browserHash: row.browser_hash,
    sealedCodeVerifier: row.code_verifier,
    returnUrl: row.return_url,
    tokenEndpoint: row.token_endpoint,
    issuer: row.issuer,
    configVersion: Number(row.config_version),
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    connectSessionHash: row.connect_session_hash,
  };
}

export function oauthStatesRepository(db: Kysely<Database>): OAuthStateRepository {
  return {
    async insert(state) {
      await db
        .insertInto('oauth_states')
        .values({
          state_hash: state.stateHash,
          connector_id: state.connectorId,
          user_id: state.userId,
          browser_hash: state.browserHash,
          code_verifier: state.sealedCodeVerifier,
          return_url: state.returnUrl,
          token_endpoint: state.tokenEndpoint,
          issuer: state.issuer,
          config_version: state.configVersion,
          created_at: state.createdAt,
          expires_at: state.expiresAt,
          connect_session_hash: state.connectSessionHash,
        })
        .execute();
    },
    async find(stateHash) {
      const row = await db
        .selectFrom('oauth_states')
        .selectAll()
        .where('state_hash', '=', stateHash)
        .executeTakeFirst();
      return row && toState(row);
    },
    async consume(stateHash) {
      // DELETE … RETURNING: of two concurrent callbacks, exactly one gets the row.
      const row = await db
        .deleteFrom('oauth_states')
        .where('state_hash', '=', stateHash)
        .returningAll()
        .executeTakeFirst();
      return row && toState(row);
    },
    async rebindBrowser(stateHash, fromBrowserHash, toBrowserHash, now) {
      // One conditional UPDATE: the WHERE re-checks the old hash, so only one caller moves it.
      const result = await db
        .updateTable('oauth_states')
        .set({ browser_hash: toBrowserHash })
        .where('state_hash', '=', stateHash)
        .where('browser_hash', '=', fromBrowserHash)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async deleteExpired(now) {
      const result = await db
        .deleteFrom('oauth_states')
        .where('expires_at', '<=', now)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
