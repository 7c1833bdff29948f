import { describe, expect, it } from 'vitest';
import { LatchkeyError } from '../errors/latchkey-error';
import { createBoundedQueue } from './bounded-queue';

/** A task that runs until the test lets it finish, recording how many run beside it. */
function gatedTasks() {
  let running = 0;
  let peak = 0;
  const gates: Array<() => void> = [];
  return {
    task: () => async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise<void>((resolve) => gates.push(resolve));
      running -= 1;
      return 'done';
    },
    /** Lets the oldest running task finish, then lets the queue start the next. */
    async finishOne() {
      gates.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    },
    started: () => gates.length,
    peak: () => peak,
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('bounded queue', () => {
  it('runs at most `concurrency` tasks at once and the waiting ones in arrival order', async () => {
    const queue = createBoundedQueue({ concurrency: 2, maxWaiting: 10 });
    const tasks = gatedTasks();
    const order: number[] = [];
    const results = Array.from({ length: 7 }, (_, i) =>
      queue.run(async () => {
        order.push(i);
        return tasks.task()();
      }),
    );
    await settle();
    expect(tasks.started()).toBe(2);
    expect(queue.stats()).toMatchObject({ running: 2, waiting: 5 });
    for (let i = 0; i < 7; i += 1) await tasks.finishOne();
    expect(await Promise.all(results)).toEqual(Array(7).fill('done'));
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(tasks.peak()).toBe(2);
    expect(queue.stats()).toEqual({ running: 0, waiting: 0, peakRunning: 2, refused: 0 });
  });

  it('refuses at once with server_busy and a retry delay when the waiting room is full, without running the task', async () => {
    const queue = createBoundedQueue({ concurrency: 1, maxWaiting: 2 });
    const tasks = gatedTasks();
    const accepted = [queue.run(tasks.task()), queue.run(tasks.task()), queue.run(tasks.task())];
    let ranRefused = false;
    const refused = queue.run(async () => {
      ranRefused = true;
    });
    const error = await refused.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LatchkeyError);
    expect(error).toMatchObject({ code: 'server_busy', status: 503 });
    expect((error as LatchkeyError).retryAfterSeconds).toBeGreaterThan(0);
    expect(queue.stats()).toMatchObject({ running: 1, waiting: 2, refused: 1 });
    for (let i = 0; i < 3; i += 1) await tasks.finishOne();
    await Promise.all(accepted);
    expect(ranRefused).toBe(false);
    expect(tasks.peak()).toBe(1);
  });

  it('hands a freed slot to the oldest waiter, never to a task arriving as it is freed', async () => {
    const queue = createBoundedQueue({ concurrency: 2, maxWaiting: 1000 });
    let running = 0;
    let peak = 0;
    const microtasks = async (count: number) => {
      for (let i = 0; i < count; i += 1) await Promise.resolve();
    };
    // Tasks end, and new ones arrive, after every possible number of microtask hops, so some
    // arrive between a slot's release and the moment its waiter resumes.
    const task = (depth: number) => async () => {
      running += 1;
      peak = Math.max(peak, running);
      await microtasks(depth);
      running -= 1;
    };
    const runs: Array<Promise<void>> = [];
    for (let depth = 0; depth < 8; depth += 1) {
      for (let arrival = 0; arrival < 8; arrival += 1) {
        runs.push(microtasks(arrival).then(() => queue.run(task(depth))));
      }
    }
    await Promise.all(runs);
    expect(peak).toBe(2);
  });

  it('frees the slot of a task that fails', async () => {
    const queue = createBoundedQueue({ concurrency: 1, maxWaiting: 0 });
    await expect(queue.run(() => Promise.reject(new Error('scrypt failed')))).rejects.toThrow(
      'scrypt failed',
    );
    await expect(queue.run(async () => 'next')).resolves.toBe('next');
    expect(queue.stats()).toMatchObject({ running: 0, waiting: 0 });
  });
});
