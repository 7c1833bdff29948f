import type { ConnectionRepository } from '@latchkey/core';
import type { DirectRead, DirectStatements } from '../direct-statements';
import { toConnection } from './connections-repository';

/**
 * `find` without the query builder while the direct statements are free (`direct-statements.ts`).
 * SQLite's read answers at once: its row goes back in one promise, not in an async
 * function's and its await's. A failure still comes as a rejection, never as a throw.
 */
export function withDirectConnectionReads(
  repository: ConnectionRepository,
  direct: DirectStatements,
): ConnectionRepository {
  const found = (read: DirectRead | undefined, connectorId: string, userId: string) =>
    read
      ? Promise.resolve(read.row && toConnection(read.row))
      : repository.find(connectorId, userId);
  return {
    ...repository,
    find(connectorId, userId) {
      try {
        const read = direct.connection(connectorId, userId);
        return read !== undefined && 'then' in read
          ? read.then((settled) => found(settled, connectorId, userId))
          : found(read, connectorId, userId);
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}
