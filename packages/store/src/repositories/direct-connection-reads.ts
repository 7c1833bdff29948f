import type { ConnectionRepository } from '@latchkey/core';
import type { DirectStatements } from '../direct-statements';
import { toConnection } from './connections-repository';

/** `find` without the query builder while the connection has no transaction open. */
export function withDirectConnectionReads(
  repository: ConnectionRepository,
  direct: DirectStatements,
): ConnectionRepository {
  return {
    ...repository,
    async find(connectorId, userId) {
      const read = direct.connection(connectorId, userId);
      if (!read) return repository.find(connectorId, userId);
      return read.row && toConnection(read.row);
    },
  };
}
