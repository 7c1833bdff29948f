import { randomUUID } from 'node:crypto';

/**
 * A UUID version 7 (RFC 9562 §5.7): 48 bits of Unix milliseconds, then random bits. Rows
 * keyed by it are appended at the end of their index instead of landing on a random page,
 * which keeps an insert-heavy table (the audit log) cheap to write. The random part comes
 * from `randomUUID` (version 4), which draws from a buffered pool; its version nibble
 * becomes 7 and its variant bits stay as they are.
 */
export function timeOrderedId(nowMs: number): string {
  const time = nowMs.toString(16).padStart(12, '0');
  const random = randomUUID();
  return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(15)}`;
}
