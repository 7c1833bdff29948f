import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const MODULE = fileURLToPath(new URL('./encryption-keys.ts', import.meta.url));
const PROCESSES = 4;
const ROUNDS = 3;

/**
 * Each child loads the module, says `ready`, spins until the `go` file appears, then resolves
 * the keys and prints a digest of them (never the key itself).
 */
const CHILD = `
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolveEncryptionKeys } from ${JSON.stringify(MODULE)};
const dataDir = process.env.DATA_DIR;
const logger = { warn: () => console.log('generated') };
console.log('ready');
while (!existsSync(join(dataDir, 'go'))) {}
const keys = resolveEncryptionKeys({ dataDir }, logger);
const digest = createHash('sha256').update(Buffer.concat(keys.map((k) => k.key))).digest('hex');
console.log('keys', keys.length, digest);
`;

interface Child {
  process: ChildProcess;
  output(): string;
  ready: Promise<void>;
  exited: Promise<number | null>;
}

function startChild(dataDir: string): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
    env: { ...process.env, DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let signalReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    signalReady = resolve;
  });
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.includes('ready')) signalReady();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  // A child that dies before saying `ready` must not leave the test waiting.
  void exited.then(signalReady);
  return { process: child, output: () => output, ready, exited };
}

/** Instances starting at once on an empty data directory all end up with one and the same key. */
describe('the generated key file, with several processes racing to create it', () => {
  const dirs: string[] = [];
  const children: Child[] = [];
  afterAll(async () => {
    for (const child of children)
      if (child.process.exitCode === null) child.process.kill('SIGKILL');
    await Promise.all(children.map((child) => child.exited));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it.each(Array.from({ length: ROUNDS }, (_, round) => round + 1))(
    'round %i: every process gets the same key, generated once, and no draft is left',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-keys-race-'));
      dirs.push(dataDir);
      const racing = Array.from({ length: PROCESSES }, () => startChild(dataDir));
      children.push(...racing);
      await Promise.all(racing.map((child) => child.ready));
      writeFileSync(join(dataDir, 'go'), '');

      const codes = await Promise.all(racing.map((child) => child.exited));
      const outputs = racing.map((child) => child.output());
      expect(codes, outputs.join('\n')).toEqual(Array(PROCESSES).fill(0));
      const digests = outputs.map((output) => /keys 1 ([0-9a-f]{64})/.exec(output)?.[1]);
      expect(new Set(digests).size).toBe(1);
      expect(digests[0]).toBeDefined();
      expect(outputs.filter((output) => output.includes('generated'))).toHaveLength(1);
      expect(readdirSync(dataDir).sort()).toEqual(['encryption-keys', 'go']);
    },
    60_000,
  );
});
