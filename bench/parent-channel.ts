import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Messages between the bench (parent) and a server under test (child), over fork's IPC. */
export interface ParentCall {
  type: 'call';
  id: number;
  method: string;
}

export type ChildReply =
  | { type: 'ready'; url: string }
  | { type: 'reply'; id: number; result?: unknown; error?: string };

export interface MemorySample {
  rssMiB: number;
  heapUsedMiB: number;
}

/** What a server process used while under load. */
export interface LoadUsage {
  peakRssMiB: number;
  meanRssMiB: number;
  /** CPU time (user + system) of the process during the load, in ms. */
  cpuMs: number;
}

type Handlers = Record<string, () => unknown>;

const SAMPLE_INTERVAL_MS = 250;
const MiB = 1024 * 1024;

/**
 * The child side: announces its URL, then answers calls. Every child can report its memory
 * (`memory`), sample `rss` and CPU time while under load (`startSampling` / `stopSampling`),
 * take a CPU profile of just that time (`startProfile` / `stopProfile`, which answers the
 * `.cpuprofile` file's path) and `stop`.
 */
export function serveParent(url: string, handlers: Handlers & { stop: () => unknown }): void {
  const send = (message: ChildReply) => process.send?.(message);
  const all: Handlers = { ...memoryHandlers(), ...profileHandlers(), ...handlers };
  process.on('message', async (message: ParentCall) => {
    if (message.type !== 'call') return;
    try {
      const handler = all[message.method];
      if (!handler) throw new Error(`unknown method ${message.method}`);
      send({ type: 'reply', id: message.id, result: await handler() });
    } catch (error) {
      send({ type: 'reply', id: message.id, error: (error as Error).message });
    }
    // Exiting (rather than waiting for handles to drain) also writes a --cpu-prof profile.
    if (message.method === 'stop') process.exit(0);
  });
  send({ type: 'ready', url });
}

function memoryHandlers(): Handlers {
  let samples: number[] = [];
  let timer: NodeJS.Timeout | undefined;
  let cpuAtStart = process.cpuUsage();
  return {
    memory: (): MemorySample => {
      const usage = process.memoryUsage();
      return { rssMiB: usage.rss / MiB, heapUsedMiB: usage.heapUsed / MiB };
    },
    startSampling: () => {
      samples = [];
      cpuAtStart = process.cpuUsage();
      timer = setInterval(() => samples.push(process.memoryUsage.rss()), SAMPLE_INTERVAL_MS);
    },
    stopSampling: (): LoadUsage => {
      clearInterval(timer);
      const cpu = process.cpuUsage(cpuAtStart);
      const total = samples.reduce((sum, value) => sum + value, 0);
      return {
        peakRssMiB: Math.max(0, ...samples) / MiB,
        meanRssMiB: samples.length ? total / samples.length / MiB : 0,
        cpuMs: (cpu.user + cpu.system) / 1000,
      };
    },
  };
}

/** A V8 CPU profile of this process between two calls, through the inspector. */
function profileHandlers(): Handlers {
  const session = new Session();
  let taken = 0;
  return {
    startProfile: async () => {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    },
    stopProfile: async () => {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      taken += 1;
      const file = join(tmpdir(), `latchkey-bench-${process.pid}-${taken}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      return file;
    },
  };
}
