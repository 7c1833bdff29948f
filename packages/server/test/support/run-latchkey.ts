import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root: `npm start` and `npx latchkey` run from here. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const CLI = fileURLToPath(new URL('../../bin/latchkey.mjs', import.meta.url));

/**
 * The caller's environment without any LATCHKEY_ variable, plus `env`. Metrics are off unless
 * `env` says otherwise: services started in parallel would all want the default port.
 */
export function latchkeyEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('LATCHKEY_')),
  );
  return { ...clean, LATCHKEY_METRICS_ADDRESS: 'off', ...env };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npx latchkey <args>` (the bin script, as npx would) and collects its output. */
export function runLatchkey(
  args: string[],
  env: Record<string, string>,
  stdin?: string,
): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: REPO_ROOT,
    env: latchkeyEnv(env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  child.stdin.end(stdin ?? '');
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
