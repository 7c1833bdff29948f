import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../scripts/server-bundle';
import { summariseProfile } from './cpu-profile-summary';

const SOURCE = fileURLToPath(
  new URL('../packages/core/src/ids/time-ordered-id.ts', import.meta.url),
);
const BUNDLE = fileURLToPath(new URL('./dist/profile-summary-test.mjs', import.meta.url));

describe('the CPU profile summary of a bundled server', () => {
  const profileDir = mkdtempSync(join(tmpdir(), 'latchkey-profile-test-'));
  afterAll(() => rmSync(profileDir, { recursive: true, force: true }));

  it('counts a frame of the bundle for the package and line it came from', async () => {
    await buildBundle(SOURCE, BUNDLE);
    const lines = readFileSync(BUNDLE, 'utf8').split('\n');
    const line = lines.findIndex((text) => text.startsWith('function timeOrderedId('));
    const sourceLine = readFileSync(SOURCE, 'utf8')
      .split('\n')
      .findIndex((text) => text.startsWith('export function timeOrderedId('));
    const frame = (id: number, functionName: string, url: string, lineNumber: number) => ({
      id,
      callFrame: { functionName, url, lineNumber, columnNumber: 0 },
    });
    const file = join(profileDir, 'server.cpuprofile');
    writeFileSync(
      file,
      JSON.stringify({
        nodes: [
          { ...frame(1, '(root)', '', 0), children: [2] },
          frame(2, 'timeOrderedId', pathToFileURL(BUNDLE).href, line),
        ],
        samples: [2, 2, 1],
        timeDeltas: [10, 10, 20],
      }),
    );

    const summary = summariseProfile(file);

    expect(summary.areas).toContainEqual({ name: '@latchkey/core', share: 0.5 });
    expect(summary.functions).toContainEqual({
      name: `timeOrderedId @latchkey/core:${sourceLine + 1}`,
      share: 0.5,
    });
  });
});
