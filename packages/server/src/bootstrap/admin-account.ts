import { randomBytes } from 'node:crypto';
import { createFirstAdmin, type UserAccountDeps } from '@latchkey/core';
import type { Logger } from 'pino';

/**
 * On the first start (no users at all), creates `admin`. Its password comes from
 * LATCHKEY_ADMIN_PASSWORD or is generated and handed to `announce` once: it is never logged.
 * Of several instances starting together, only the one whose insert wins announces it.
 */
export async function ensureAdminAccount(options: {
  deps: UserAccountDeps;
  adminPassword: string | undefined;
  now: number;
  logger: Logger;
  announce: (message: string) => void;
}): Promise<void> {
  // Skips scrypt on every later start; the insert below decides the race.
  if ((await options.deps.store.users.count()) > 0) return;
  const password = options.adminPassword ?? randomBytes(18).toString('base64url');
  const admin = await createFirstAdmin(options.deps, { username: 'admin', password }, options.now);
  if (!admin) {
    options.logger.info('another instance created the first admin account');
    return;
  }
  options.logger.info({ userId: admin.id }, 'created the first admin account "admin"');
  if (!options.adminPassword) {
    options.announce(
      `\n  Latchkey created the account "admin" with the password:\n\n    ${password}\n\n  It is shown only this once. Change it after logging in.\n`,
    );
  }
}
