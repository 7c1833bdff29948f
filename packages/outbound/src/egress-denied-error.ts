/**
 * A connection the egress policy refused. It carries the host and address for the
 * operator's log; callers answer with a code only, never the address.
 */
export class EgressDeniedError extends Error {
  override readonly name = 'EgressDeniedError';
  readonly code = 'EGRESS_DENIED';

  constructor(
    readonly host: string,
    readonly address: string,
    /** The address's special-purpose range (address-range.ts), e.g. `private`. */
    readonly range: string,
  ) {
    super(`The egress policy refuses ${host} (${address}, ${range}).`);
  }
}

/**
 * The refusal behind an error, if any. undici's `fetch` wraps a connect failure as
 * `TypeError: fetch failed` with the real error as its `cause`; a pool's `request` rejects
 * with it directly.
 */
export function findEgressDenial(error: unknown): EgressDeniedError | undefined {
  let current = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (current instanceof EgressDeniedError) return current;
    current = current.cause;
  }
  return undefined;
}
