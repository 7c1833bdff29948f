import { join } from 'node:path';
import type { Service } from '../../packages/server/src/service';
import { groupCommitAudit, skipAudit } from './group-commit-audit';
import { cacheHotRows } from './hot-row-cache';
import { rawHotReads } from './raw-hot-reads';
import { skipFreshTouches } from './skip-fresh-touch';
import { timeStatements } from './sql-timing';
import { cachePreparedStatements } from './statement-cache';

/**
 * Changes tried on the server under test only, as runtime patches, so `packages/**` stays
 * untouched: `BENCH_PROTOTYPES=statement-cache,skip-fresh-touch npm run bench`.
 */
export const PROTOTYPES = [
  'statement-cache',
  'skip-fresh-touch',
  'group-commit-audit',
  'raw-hot-reads',
  'hot-row-cache',
  'no-audit',
  'sql-timing',
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
  if (prototypes.has('statement-cache')) cachePreparedStatements();
}

/** Patches of the opened service's store (the app reads `deps.store` at call time). */
export function applyToService(prototypes: Set<Prototype>, service: Service): void {
  const { store, config } = service.deps;
  if (prototypes.has('raw-hot-reads')) rawHotReads(store, join(config.dataDir, 'latchkey.sqlite'));
  if (prototypes.has('hot-row-cache')) cacheHotRows(store);
  if (prototypes.has('skip-fresh-touch')) skipFreshTouches(store);
  if (prototypes.has('group-commit-audit')) groupCommitAudit(store);
  if (prototypes.has('no-audit')) skipAudit(store);
}
