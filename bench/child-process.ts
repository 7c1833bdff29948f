import { type ChildProcess, fork } from 'node:child_process';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE_NODE_FLAGS, buildBundle } from '../scripts/server-bundle';
import type { ChildReply, ParentCall } from './parent-channel';

/** A server under test in its own process: its own event loop, heap and `rss`. */
export interface BenchChild {
  readonly name: string;
  readonly pid: number;
  /** Where it listens (http://127.0.0.1:port). */
  readonly url: string;
  call<T>(method: string): Promise<T>;
  stop(): Promise<void>;
}

type CallReply = Extract<ChildReply, { type: 'reply' }>;

const READY_TIMEOUT_MS = 60_000;

/**
 * Forks `bench/<script>` as `npm start` runs the server: bundled by the same build, under
 * plain `node` (no tsx loader thread in its `rss`). With `cpuProfileDir` the child runs with
 * `--cpu-prof` and writes a V8 profile there when stopped.
 */
export async function startChild(
  name: string,
  script: string,
  env: Record<string, string> = {},
  cpuProfileDir?: string,
): Promise<BenchChild> {
  const child = fork(await bundled(fileURLToPath(new URL(script, import.meta.url))), [], {
    env: { ...process.env, ...env },
    execArgv: [
      ...BUNDLE_NODE_FLAGS,
      ...(cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : []),
      ...(process.env.BENCH_SERVER_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await waitForReady(name, child);
  const pending = new Map<number, (reply: CallReply) => void>();
  let nextId = 0;
  child.on('message', (reply: ChildReply) => {
    if (reply.type !== 'reply') return;
    pending.get(reply.id)?.(reply);
    pending.delete(reply.id);
  });
  const call = <T>(method: string) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, (reply) =>
        reply.error === undefined
          ? resolve(reply.result as T)
          : reject(new Error(`${name}.${method}: ${reply.error}`)),
      );
      child.send({ type: 'call', id, method } satisfies ParentCall);
    });
  return {
    name,
    pid: child.pid ?? -1,
    url,
    call,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await call('stop').catch(() => {});
      await exited;
    },
  };
}

const bundles = new Map<string, Promise<string>>();

/**
 * The script's bundle, in `dist/` beside it: inside its checkout, where Node finds the
 * packages left out of it. Built once per run.
 */
function bundled(script: string): Promise<string> {
  let built = bundles.get(script);
  if (!built) {
    const outfile = join(dirname(script), 'dist', basename(script).replace(/\.ts$/, '.mjs'));
    built = buildBundle(script, outfile).then(() => outfile);
    bundles.set(script, built);
  }
  return built;
}

function waitForReady(name: string, child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start`)), READY_TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before ready`)));
    child.on('message', (message: ChildReply) => {
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      resolve(message.url);
    });
  });
}
