import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const SRC = new URL('.', import.meta.url).pathname;

/** The files that end up in a browser bundle: everything but tests and their helpers. */
function shippedFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'test-support' ? [] : shippedFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Each import or export statement that brings in a value (not `import type`/`export type`). */
function valueImports(source: string): string[] {
  const statements = source.match(/^(?:import|export)\s[^;]*?\sfrom\s+'[^']+';/gms) ?? [];
  return statements
    .filter((s) => !/^(?:import|export)\s+type\s/.test(s))
    .map((s) => /from\s+'([^']+)'/.exec(s)?.[1] as string);
}

it('brings nothing of @latchkey/core or of Node into a browser bundle (types only)', () => {
  const offending = shippedFiles(SRC).flatMap((file) =>
    valueImports(readFileSync(file, 'utf8'))
      .filter((from) => from.startsWith('@latchkey/') || from.startsWith('node:') || from === 'zod')
      .map((from) => `${file}: ${from}`),
  );
  expect(offending).toEqual([]);
});
