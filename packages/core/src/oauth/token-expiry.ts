/** An expiry `seconds` from now; none for a missing, zero, negative or non-finite value. */
export function secondsFromNow(now: number, seconds: unknown): number | null {
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
    ? now + seconds * 1000
    : null;
}
