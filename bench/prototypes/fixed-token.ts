import { LatchkeyError } from '@latchkey/core';
import type { AppDeps } from '../../packages/server/src/app-deps';

const FIXED = { accessToken: 'fixed-bench-token', tokenType: 'Bearer', expiresAt: null };

/**
 * Measurements only (not proposals): the cost of reading and decrypting the connection on
 * each call, by answering every token request with one fixed token instead (`fixed-token`),
 * or after the read but without decrypting (`read-no-decrypt`).
 */
export function fixedToken(deps: AppDeps, { read }: { read: boolean }): void {
  deps.accessTokens.get = async (connectorId, userId) => {
    if (!read) return { ...FIXED, connectionId: 'fixed', connectionVersion: 1, metadata: null };
    const connection = await deps.store.connections.find(connectorId, userId);
    if (!connection) throw new LatchkeyError('not_connected');
    return {
      ...FIXED,
      connectionId: connection.id,
      connectionVersion: connection.version,
      metadata: connection.metadata,
    };
  };
}
