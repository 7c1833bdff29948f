import type { SealedColumn, SealedValue, Store } from '../store';
import type { Vault } from './vault';

export interface RotationReport {
  /** Values re-encrypted with the active key. */
  rotated: number;
  /** Values that were already under the active key. */
  alreadyCurrent: number;
  /** Values that live traffic changed while we worked; each was read again and handled. */
  raced: number;
  byColumn: Record<string, number>;
}

const PAGE_SIZE = 500;

/**
 * Re-encrypts every sealed value under the active key. Each row is swapped with a
 * compare-and-swap, so a value written by live traffic meanwhile is never overwritten with
 * a stale one: the row is simply read again on the next page pass.
 */
export async function rotateEncryptionKeys(store: Store, vault: Vault): Promise<RotationReport> {
  const report: RotationReport = { rotated: 0, alreadyCurrent: 0, raced: 0, byColumn: {} };
  for (const column of store.sealedValues.columns) {
    report.byColumn[`${column.table}.${column.column}`] = await rotateColumn(
      store,
      vault,
      column,
      report,
    );
  }
  return report;
}

async function rotateColumn(
  store: Store,
  vault: Vault,
  column: SealedColumn,
  report: RotationReport,
): Promise<number> {
  let rotatedHere = 0;
  let after = '';
  for (;;) {
    const page = await store.sealedValues.page(column, after, PAGE_SIZE);
    if (page.length === 0) return rotatedHere;
    for (const value of page) {
      if (vault.keyIdOf(value.sealed) === vault.activeKeyId) {
        report.alreadyCurrent += 1;
      } else if (await resealValue(store, vault, column, value)) {
        report.rotated += 1;
        rotatedHere += 1;
      } else {
        report.raced += 1;
        // Read the row again: it may have been rewritten under the old key by an instance
        // that has not been restarted with the new key list yet. `after` still names the
        // last row handled, so the next page starts exactly at this row.
        break;
      }
      after = value.rowId;
    }
  }
}

async function resealValue(
  store: Store,
  vault: Vault,
  column: SealedColumn,
  value: SealedValue,
): Promise<boolean> {
  const location = { ...column, rowId: value.rowId };
  const resealed = vault.encrypt(vault.decrypt(value.sealed, location), location);
  return store.sealedValues.replace(column, value.rowId, value.sealed, resealed);
}
