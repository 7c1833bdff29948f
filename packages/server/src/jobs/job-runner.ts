import { randomUUID } from 'node:crypto';
import type { Store } from '@latchkey/core';
import type { Logger } from 'pino';
import { failureSummary } from '../logger';
import type { JobMetrics } from '../metrics/job-metrics';

/** One cheap statement per running job this often, far within the shortest lease (60 s). */
const LEASE_RENEWAL_MS = 1000;

export interface Job {
  name: string;
  intervalMs: number;
  /** Returns counts to log, e.g. `{ deleted: 3 }`. */
  run(): Promise<Record<string, number>>;
}

export interface JobRunner {
  /** Runs a job now, under its lease; false if another run holds the lease. */
  runNow(name: string): Promise<boolean>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Runs each job on its interval. A job never overlaps itself: the next run is scheduled only
 * after the current one ends, and a lease in the database keeps other instances out too.
 */
export function createJobRunner(options: {
  jobs: Job[];
  store: Store;
  logger: Logger;
  now: () => number;
  metrics: JobMetrics;
}): JobRunner {
  const holder = randomUUID();
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Map<string, Promise<boolean>>();
  let stopped = false;

  async function runLeased(job: Job): Promise<boolean> {
    const leaseMs = Math.max(job.intervalMs, 60_000);
    const acquired = await tryLease(job, leaseMs);
    if (acquired !== true) {
      options.metrics.runFinished(job.name, acquired === false ? 'skipped' : 'failed', 0);
      return false;
    }
    const started = Date.now();
    const renewal = keepLease(job.name, leaseMs);
    try {
      const counts = await job.run();
      const ms = Date.now() - started;
      // A run that found nothing to do (the webhook job runs every second) logs at debug.
      const level = Object.values(counts).some((count) => count > 0) ? 'info' : 'debug';
      options.logger[level]({ job: job.name, ...counts, ms }, 'job finished');
      options.metrics.runFinished(job.name, 'succeeded', ms / 1000);
    } catch (error) {
      options.logger.error({ job: job.name, failure: failureSummary(error) }, 'job failed');
      options.metrics.runFinished(job.name, 'failed', (Date.now() - started) / 1000);
    } finally {
      clearInterval(renewal);
      await options.store.leases.release(job.name, holder).catch((error: unknown) => {
        // The lease then lapses by itself at its expiry.
        options.logger.warn({ job: job.name, failure: failureSummary(error) }, 'job lease kept');
      });
    }
    return true;
  }

  /**
   * The job's lease: true when taken, false when another run holds it, 'failed' when the
   * database could not be asked. A database outage skips the run, logged, and never rejects:
   * a rejection here would be unhandled in the timer and end the process.
   */
  async function tryLease(job: Job, leaseMs: number): Promise<boolean | 'failed'> {
    try {
      return await options.store.leases.tryAcquire(job.name, holder, options.now(), leaseMs);
    } catch (error) {
      options.logger.error({ job: job.name, failure: failureSummary(error) }, 'job not started');
      return 'failed';
    }
  }

  /**
   * Renews the lease while the job runs: a run that outlives the lease's first term (a
   * provider timing out on every queued revocation) must not let another instance start
   * the same work beside it.
   */
  function keepLease(name: string, leaseMs: number): NodeJS.Timeout {
    const timer = setInterval(() => {
      options.store.leases.renew(name, holder, options.now(), leaseMs).then(
        (held) => {
          if (!held) options.logger.warn({ job: name }, 'job lease lost while running');
        },
        (error: unknown) =>
          options.logger.warn(
            { job: name, failure: failureSummary(error) },
            'job lease not renewed',
          ),
      );
    }, LEASE_RENEWAL_MS);
    timer.unref();
    return timer;
  }

  function runOnce(job: Job): Promise<boolean> {
    const current = running.get(job.name);
    if (current) return current.then(() => false);
    const run = runLeased(job).finally(() => running.delete(job.name));
    running.set(job.name, run);
    return run;
  }

  function schedule(job: Job) {
    if (stopped) return;
    const timer = setTimeout(() => void runOnce(job).finally(() => schedule(job)), job.intervalMs);
    timer.unref();
    timers.set(job.name, timer);
  }

  return {
    async runNow(name) {
      const job = options.jobs.find((j) => j.name === name);
      if (!job) throw new Error(`no job named ${name}`);
      return runOnce(job);
    },
    start() {
      for (const job of options.jobs) schedule(job);
    },
    async stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      await Promise.allSettled(running.values());
    },
  };
}
