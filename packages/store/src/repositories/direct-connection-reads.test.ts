import type { ConnectionRepository, StoredConnection } from '@latchkey/core';
import { describe, expect, it } from 'vitest';
import type { DirectStatements } from '../direct-statements';
import { withDirectConnectionReads } from './direct-connection-reads';

const FROM_KYSELY = { id: 'through-kysely' } as StoredConnection;
const repository = { find: async () => FROM_KYSELY } as unknown as ConnectionRepository;

function readsWith(connection: DirectStatements['connection']) {
  return withDirectConnectionReads(repository, { connection, appendAudit: () => true });
}

describe('withDirectConnectionReads', () => {
  it('answers a direct read that found nothing, at once or over the network', async () => {
    await expect(readsWith(() => ({ row: undefined })).find('c', 'u')).resolves.toBeUndefined();
    await expect(
      readsWith(async () => ({ row: undefined })).find('c', 'u'),
    ).resolves.toBeUndefined();
  });

  it('reads through Kysely when the direct statements are busy', async () => {
    await expect(readsWith(() => undefined).find('c', 'u')).resolves.toBe(FROM_KYSELY);
    await expect(readsWith(async () => undefined).find('c', 'u')).resolves.toBe(FROM_KYSELY);
  });

  it('rejects, never throws, when the read or its row fails', async () => {
    const failing = readsWith(() => {
      throw new Error('SQLITE_CORRUPT');
    });
    const found = failing.find('c', 'u');
    await expect(found).rejects.toThrow('SQLITE_CORRUPT');
    const badRow = readsWith(() => ({ row: { status: 'gone' } as never }));
    await expect(badRow.find('c', 'u')).rejects.toThrow('not one Latchkey writes');
  });
});
