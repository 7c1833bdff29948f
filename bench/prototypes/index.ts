import type { Service } from '../../packages/server/src/service';
import { profileAllocations } from './alloc-profile';
import { fixedToken } from './fixed-token';
import { traceGc } from './gc-trace';
import { skipAudit } from './no-audit';
import { skipRequestMetrics } from './no-metrics';
import { countPromises } from './promise-count';
import { timeStatements } from './sql-timing';

/**
 * Changes under evaluation and diagnostics, applied to the Latchkey server under test only,
 * as runtime patches, so `packages/**` stays untouched:
 * `BENCH_PROTOTYPES=no-audit npm run bench`.
 */
export const PROTOTYPES = [
  // Measurements: what a cost is worth, by removing it. (The proposed changes this list
  // held — statement cache, fresh-touch skip, group-committed audit, read cache, reads
  // without Kysely, background checkpoints — are now in the code.)
  'no-audit',
  'no-metrics',
  'fixed-token',
  'read-no-decrypt',
  // Diagnostics, printed on the server's stderr when it stops.
  'sql-timing',
  'gc-trace',
  'alloc-profile',
  'promise-count',
] as const;
export type Prototype = (typeof PROTOTYPES)[number];

export function prototypesFrom(value: string | undefined): Set<Prototype> {
  const names = (value ?? '').split(',').filter(Boolean);
  for (const name of names) {
    if (!(PROTOTYPES as readonly string[]).includes(name)) {
      throw new Error(`unknown prototype ${name}; known: ${PROTOTYPES.join(', ')}`);
    }
  }
  return new Set(names as Prototype[]);
}

/** Patches that must be in place before the database is opened. */
export function applyBeforeOpen(prototypes: Set<Prototype>): void {
  if (prototypes.has('sql-timing')) timeStatements();
  if (prototypes.has('gc-trace')) traceGc();
  if (prototypes.has('alloc-profile')) profileAllocations();
  if (prototypes.has('promise-count')) countPromises();
}

/** Patches of the opened service's store (the app reads `deps.store` at call time). */
export function applyToService(prototypes: Set<Prototype>, service: Service): void {
  const { store } = service.deps;
  if (prototypes.has('no-audit')) skipAudit(store);
  if (prototypes.has('no-metrics')) skipRequestMetrics(service.deps.metrics);
  if (prototypes.has('fixed-token')) fixedToken(service.deps, { read: false });
  if (prototypes.has('read-no-decrypt')) fixedToken(service.deps, { read: true });
}
