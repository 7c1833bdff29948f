import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { BUNDLE_NODE_FLAGS, SERVER_BUNDLE } from '../../../../scripts/server-bundle';
import { latchkeyEnv, REPO_ROOT } from './run-latchkey';

/** A free TCP port on loopback (released just before the service takes it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface SpawnedService {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** Polls `GET /readyz` until it answers 200; fails if the process ends first. */
  waitUntilReady(baseUrl: string, timeoutMs?: number): Promise<void>;
}

let bundleBuilt = false;

/** What package.json's start script builds before it starts the server. */
export const START_SCRIPT_BUILDS = 'npm run build:web && npm run build:server';

/** package.json's start script. */
export function startScript(): string {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts.start;
}

/** The start script, with `true` for its builds. */
function startScriptWithoutBuilds(): string {
  const script = startScript();
  if (!script.startsWith(`${START_SCRIPT_BUILDS} && `)) throw new Error('the start script changed');
  return script.replace(START_SCRIPT_BUILDS, 'true');
}

/** `npm run build:server`, once per test file: the bundle is the sources of this checkout. */
function buildServerOnce(): void {
  if (bundleBuilt) return;
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-server.ts'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  bundleBuilt = true;
}

/**
 * Starts the real service as `npm start` does: the server's bundle under plain `node`
 * (scripts/server-bundle.ts), built from the sources first. `detached` puts it in its own
 * process group, for `killProcessGroup`. `startScriptShell` runs it the way npm runs the
 * start script, in `sh -c` (its builds left out: done already), so `child` is that shell.
 */
export function spawnService(
  env: Record<string, string>,
  options: { detached?: boolean; startScriptShell?: boolean } = {},
): SpawnedService {
  buildServerOnce();
  const [command, ...args] = options.startScriptShell
    ? ['sh', '-c', startScriptWithoutBuilds()]
    : [process.execPath, ...BUNDLE_NODE_FLAGS, SERVER_BUNDLE];
  const child = spawn(command as string, args, {
    cwd: REPO_ROOT,
    env: latchkeyEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  let ended = false;
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      ended = true;
      resolve(code);
    }),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async waitUntilReady(baseUrl, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (ended) throw new Error(`the service exited early:\n${stderr}\n${stdout}`);
        const status = await fetch(`${baseUrl}/readyz`).then(
          (response) => response.status,
          () => 0,
        );
        if (status === 200) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`the service was not ready within ${timeoutMs} ms:\n${stderr}\n${stdout}`);
    },
  };
}

/** SIGKILLs a detached service's whole process group and waits for it to end. */
export async function killProcessGroup(service: SpawnedService): Promise<void> {
  const pid = service.child.pid;
  if (pid !== undefined && service.child.exitCode === null && service.child.signalCode === null) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
  await service.exited;
}
