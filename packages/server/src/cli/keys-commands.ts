import { rotateEncryptionKeys } from '@latchkey/core';
import { generateKeyEntry } from '../bootstrap/encryption-keys';
import type { CliContext } from './cli-context';

export async function rotateKeys(ctx: CliContext): Promise<void> {
  const report = await rotateEncryptionKeys(ctx.store, ctx.vault);
  ctx.out(`active key: ${ctx.vault.activeKeyId}`);
  for (const [column, count] of Object.entries(report.byColumn)) {
    ctx.out(`${column}: ${count} re-encrypted`);
  }
  ctx.out(
    `total: ${report.rotated} re-encrypted, ${report.alreadyCurrent} already current, ${report.raced} changed meanwhile and re-read`,
  );
}

/** Prints a new key entry to put first in LATCHKEY_ENCRYPTION_KEYS (or the key file). */
export function generateKey(out: (line: string) => void): void {
  out(generateKeyEntry());
}
