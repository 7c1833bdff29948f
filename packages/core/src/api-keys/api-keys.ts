import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { sha256 } from '../oauth/hashes';
import { API_KEY_PERMISSIONS, type Store, type StoredApiKey } from '../store';

export const createApiKeySchema = z.strictObject({
  // No U+0000: PostgreSQL cannot store it.
  name: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .refine((value) => !value.includes('\u0000'), 'must not contain the character U+0000'),
  permissions: z.array(z.enum(API_KEY_PERMISSIONS)).min(1).max(API_KEY_PERMISSIONS.length),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;

export const apiKeyViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  permissions: z.array(z.enum(API_KEY_PERMISSIONS)),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiKeyView = z.infer<typeof apiKeyViewSchema>;

const KEY_PREFIX = 'lk_';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toApiKeyView(key: StoredApiKey): ApiKeyView {
  return {
    id: key.id,
    name: key.name,
    permissions: key.permissions,
    createdAt: new Date(key.createdAt).toISOString(),
    lastUsedAt: iso(key.lastUsedAt),
    revokedAt: iso(key.revokedAt),
  };
}

/** Creates a key and returns it once; only its SHA-256 is stored. */
export async function createApiKey(
  store: Store,
  input: CreateApiKeyInput,
  createdBy: string,
  now: number,
): Promise<{ key: string; stored: StoredApiKey }> {
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const stored: StoredApiKey = {
    id: randomUUID(),
    name: input.name,
    keyHash: sha256(key),
    permissions: [...new Set(input.permissions)],
    createdBy,
    createdAt: now,
    lastUsedAt: null,
    revokedAt: null,
  };
  await store.apiKeys.insert(stored);
  return { key, stored };
}

/** The live key for a presented value, or undefined (unknown or revoked). */
export async function findLiveApiKey(store: Store, presented: string) {
  if (!presented.startsWith(KEY_PREFIX) || presented.length > 200) return undefined;
  const key = await store.apiKeys.findByHash(sha256(presented));
  return key && key.revokedAt === null ? key : undefined;
}
