import { randomUUID } from 'node:crypto';
import type { CoreDeps } from '../deps';
import { LatchkeyError } from '../errors/latchkey-error';
import { recordConnectionsDeleted } from '../events/connection-event';
import { queueConnectionsRevocationPerConnector } from '../oauth/revocation-queue';
import type { Store, UserRecord } from '../store';
import type { CreateUserInput, UpdateUserInput, UserView } from './user-schema';

export function toUserView(user: UserRecord): UserView {
  return {
    id: user.id,
    username: user.username,
    role: user.role,
    createdAt: new Date(user.createdAt).toISOString(),
  };
}

/** The part of the deps that creating or changing a user needs. */
export type UserAccountDeps = Pick<CoreDeps, 'store' | 'passwords'>;

export async function createUser(
  { store, passwords }: UserAccountDeps,
  input: CreateUserInput,
  now: number,
): Promise<UserRecord> {
  if (await store.users.findByUsername(input.username)) throw new LatchkeyError('username_taken');
  const user: UserRecord = {
    id: randomUUID(),
    username: input.username,
    role: input.role,
    passwordHash: await passwords.hash(input.password),
    createdAt: now,
    updatedAt: now,
  };
  await store.users.insert(user);
  return user;
}

/**
 * Creates the admin `username` unless any user exists, atomically across instances that
 * start together; answers undefined when there were users, or another instance won.
 */
export async function createFirstAdmin(
  { store, passwords }: UserAccountDeps,
  input: { username: string; password: string },
  now: number,
): Promise<UserRecord | undefined> {
  const admin: UserRecord = {
    id: randomUUID(),
    username: input.username,
    role: 'admin',
    passwordHash: await passwords.hash(input.password),
    createdAt: now,
    updatedAt: now,
  };
  return (await store.users.insertIfNoUsers(admin)) ? admin : undefined;
}

/** Changes a role or password; a password change ends the user's sessions. */
export async function updateUser(
  { store, passwords }: UserAccountDeps,
  id: string,
  patch: UpdateUserInput,
  now: number,
): Promise<UserRecord> {
  // Refuse an unknown user before paying for scrypt; the transaction checks again.
  if (!(await store.users.findById(id))) throw new LatchkeyError('user_not_found');
  const passwordHash = patch.password ? await passwords.hash(patch.password) : undefined;
  return store.transaction(async (tx) => {
    const user = await tx.users.findById(id);
    if (!user) throw new LatchkeyError('user_not_found');
    if (patch.role && patch.role !== 'admin') await assertNotLastAdmin(tx, user);
    await tx.users.update(id, {
      ...(patch.role ? { role: patch.role } : {}),
      ...(passwordHash ? { passwordHash } : {}),
      updatedAt: now,
    });
    if (passwordHash) await tx.sessions.deleteForUser(id);
    return (await tx.users.findById(id)) as UserRecord;
  });
}

export interface UserDeletion {
  connectionsDeleted: number;
  /** The user's tokens queued for the revocation retry job to revoke at their providers. */
  revocationsQueued: number;
}

/**
 * Deletes a user and, with them, their sessions, flows and connections. Their tokens are
 * queued for revocation at each provider (RFC 7009) and audited in the same transaction, so
 * a token leaves the table only with its revocation queued; the retry job sends them. The
 * audit names `actorUserId`, the admin deleting the user (undefined from the CLI: nobody is
 * logged in there).
 */
export async function deleteUser(
  deps: CoreDeps,
  id: string,
  actorUserId: string | undefined,
): Promise<UserDeletion> {
  return deps.store.transaction(async (tx) => {
    const user = await tx.users.findById(id);
    if (!user) throw new LatchkeyError('user_not_found');
    await assertNotLastAdmin(tx, user);
    const connections = await tx.connections.takeForUser(id);
    await recordConnectionsDeleted(tx, deps.now(), connections, 'user_deleted');
    const revocationsQueued = await queueConnectionsRevocationPerConnector(
      { ...deps, store: tx },
      connections,
      'user_deleted',
      actorUserId,
    );
    await tx.users.delete(id);
    return { connectionsDeleted: connections.length, revocationsQueued };
  });
}

async function assertNotLastAdmin(store: Store, user: UserRecord): Promise<void> {
  if (user.role === 'admin' && (await store.users.countByRole('admin')) <= 1) {
    throw new LatchkeyError('last_admin');
  }
}
