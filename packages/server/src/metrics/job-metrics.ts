import { Counter, Histogram, type Registry } from 'prom-client';

/** `skipped`: another instance held the job's lease, and ran it. */
export type JobOutcome = 'succeeded' | 'failed' | 'skipped';

export interface JobMetrics {
  runFinished(job: string, outcome: JobOutcome, seconds: number): void;
}

const JOB_BUCKETS_S = [0.01, 0.1, 0.5, 1, 5, 10, 30, 60, 300];

/** Background job runs by job name (a fixed list) and outcome. */
export function createJobMetrics(registry: Registry): JobMetrics {
  const runs = new Counter({
    name: 'latchkey_job_runs_total',
    help: 'Background job runs, by job and outcome (succeeded, failed, skipped).',
    labelNames: ['job', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'latchkey_job_duration_seconds',
    help: 'Time a background job run took in this instance, by job.',
    labelNames: ['job'] as const,
    buckets: JOB_BUCKETS_S,
    registers: [registry],
  });
  return {
    runFinished(job, outcome, seconds) {
      runs.inc({ job, outcome });
      if (outcome !== 'skipped') duration.observe({ job }, seconds);
    },
  };
}
