import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openStore } from '../open-store';
import { describeStoreContract } from './store-contract';

const folder = mkdtempSync(join(tmpdir(), 'latchkey-store-contract-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;

// A file, not `:memory:`: a second store must open the same database, as an instance would.
describeStoreContract('SQLite', async () => {
  const file = join(folder, `store-${++files}.sqlite`);
  return { open: () => openStore({ dialect: 'sqlite', file }) };
});
