import { randomBytes } from 'node:crypto';
import {
  createUser,
  createUserSchema,
  deleteUser,
  LatchkeyError,
  updateUser,
} from '@latchkey/core';
import type { CliContext } from './cli-context';

async function findUserId(ctx: CliContext, username: string): Promise<string> {
  const user = await ctx.store.users.findByUsername(username);
  if (!user) throw new LatchkeyError('user_not_found', `No user named "${username}".`);
  return user.id;
}

export async function addUser(
  ctx: CliContext,
  username: string,
  role: string,
  passwordFromStdin: string | undefined,
): Promise<void> {
  const password = passwordFromStdin ?? randomBytes(18).toString('base64url');
  const input = createUserSchema.parse({ username, password, role });
  const user = await createUser(ctx, input, Date.now());
  ctx.out(`created ${user.username} (${user.role}) with id ${user.id}`);
  if (!passwordFromStdin) ctx.out(`password (shown once): ${password}`);
}

export async function listUsers(ctx: CliContext): Promise<void> {
  for (const user of await ctx.store.users.list()) {
    ctx.out(`${user.id}\t${user.username}\t${user.role}`);
  }
}

export async function removeUser(ctx: CliContext, username: string): Promise<void> {
  // Nobody is logged in at the CLI: the audit events of the deletion name no actor.
  await deleteUser(ctx, await findUserId(ctx, username), undefined);
  ctx.out(`removed ${username}`);
}

export async function setUserRole(ctx: CliContext, username: string, role: string) {
  // Parsed as a field so that a bad value is reported as `role: …`.
  const { role: parsedRole } = createUserSchema.pick({ role: true }).parse({ role });
  await updateUser(ctx, await findUserId(ctx, username), { role: parsedRole }, Date.now());
  ctx.out(`${username} is now ${parsedRole}`);
}
