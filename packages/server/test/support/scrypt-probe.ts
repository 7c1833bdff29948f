import type * as NodeCrypto from 'node:crypto';

type Callback = (error: Error | null, key: Buffer) => void;

/**
 * Watches Node's own `crypto.scrypt` from outside our code: how many calls are in flight, the
 * most ever at once, and, while held, keeps their answers back so a test can fill the queue
 * in front of it deterministically. Install it in a test file with
 * `vi.mock('node:crypto', async (original) => probeScrypt(await original()))`.
 */
export const scryptProbe = {
  running: 0,
  peak: 0,
  calls: 0,
  held: [] as Array<() => void>,
  holding: false,
  /** From now on, finished scrypt calls wait for `release()` before answering. */
  hold() {
    scryptProbe.holding = true;
  },
  release() {
    scryptProbe.holding = false;
    for (const answer of scryptProbe.held.splice(0)) answer();
  },
  resetPeak() {
    scryptProbe.peak = scryptProbe.running;
  },
};

export function probeScrypt(crypto: typeof NodeCrypto): typeof NodeCrypto {
  const realScrypt = crypto.scrypt as (...args: unknown[]) => void;
  function scrypt(...args: unknown[]): void {
    const callback = args.pop() as Callback;
    scryptProbe.calls += 1;
    scryptProbe.running += 1;
    scryptProbe.peak = Math.max(scryptProbe.peak, scryptProbe.running);
    realScrypt(...args, (error: Error | null, key: Buffer) => {
      const answer = () => {
        scryptProbe.running -= 1;
        callback(error, key);
      };
      if (scryptProbe.holding) scryptProbe.held.push(answer);
      else answer();
    });
  }
  const probed = { ...crypto, scrypt } as typeof NodeCrypto;
  return { ...probed, default: probed } as typeof NodeCrypto;
}
