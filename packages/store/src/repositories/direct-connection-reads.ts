import type { ConnectionRepository } from '@latchkey/core';
import type { DirectStatements } from '../direct-statements';
import { toConnection } from './connections-repository';

/** `find` without the query builder while the direct statements are free (`direct-statements.ts`). */
export function withDirectConnectionReads(
  repository: ConnectionRepository,
  direct: DirectStatements,
): ConnectionRepository {
  return {
    ...repository,
    async find(connectorId, userId) {
      const read = await direct.connection(connectorId, userId);
      if (!read) return repository.find(connectorId, userId);
      return read.row && toConnection(read.row);
    },
  };
}
