import { beforeAll, describe, expect, it } from 'vitest';
import { buildServerBundle } from '../../../scripts/server-bundle';

/** How the bundle `npm start` runs imports each package: statically, or only when called. */
async function importKinds(): Promise<Map<string, string[]>> {
  const metafile = await buildServerBundle();
  const kinds = new Map<string, string[]>();
  for (const output of Object.values(metafile.outputs)) {
    for (const { path, kind } of output.imports)
      kinds.set(path, [...(kinds.get(path) ?? []), kind]);
  }
  return kinds;
}

describe('the server bundle', () => {
  let kinds: Map<string, string[]>;
  beforeAll(async () => {
    kinds = await importKinds();
  });

  it('loads the PostgreSQL driver only when it opens PostgreSQL', () => {
    expect(kinds.get('pg')).toEqual(['dynamic-import']);
  });

  it('loads the Redis client only when LATCHKEY_REDIS_URL is set', () => {
    expect(kinds.get('ioredis')).toEqual(['dynamic-import']);
  });
});
