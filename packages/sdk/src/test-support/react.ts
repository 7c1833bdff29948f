import { act } from '@testing-library/react';
import { vi } from 'vitest';

/**
 * Lets channel messages, fetch answers and the React updates they cause through, inside
 * `act`. Uses setImmediate, which the hook tests leave real (they fake only setTimeout).
 */
export const tick = () => act(() => new Promise<void>((resolve) => setImmediate(resolve)));

/** Polls the check (real time), flushing React updates between tries. */
export const settle = (check: () => void) =>
  vi.waitFor(async () => {
    await tick();
    check();
  });
