import type { Store } from '@latchkey/core';

/**
 * Prototype of a fix in `access-tokens.ts` and `plugins/api-key-auth.ts`: both already hold
 * the row they are about to touch, with its `lastUsedAt`. Today they always run the
 * `UPDATE … WHERE last_used_at < ?`, a write statement that usually changes nothing; the fix
 * skips it when the row just read says it was used within the interval.
 */
export function skipFreshTouches(store: Store): void {
  const lastUsed = new Map<string, number | null>();
  const { connections, apiKeys } = store;
  const find = connections.find.bind(connections);
  const findByHash = apiKeys.findByHash.bind(apiKeys);
  const touchConnection = connections.touch.bind(connections);
  const touchKey = apiKeys.touch.bind(apiKeys);
  const remember = <T extends { id: string; lastUsedAt: number | null } | undefined>(row: T) => {
    if (row) lastUsed.set(row.id, row.lastUsedAt);
    return row;
  };
  const recent = (id: string, now: number, intervalMs: number) => {
    const at = lastUsed.get(id);
    return typeof at === 'number' && at >= now - intervalMs;
  };
  connections.find = async (connectorId, userId) => remember(await find(connectorId, userId));
  apiKeys.findByHash = async (hash) => remember(await findByHash(hash));
  connections.touch = async (id, now, intervalMs) => {
    if (!recent(id, now, intervalMs)) await touchConnection(id, now, intervalMs);
  };
  apiKeys.touch = async (id, now, intervalMs) => {
    if (!recent(id, now, intervalMs)) await touchKey(id, now, intervalMs);
  };
}
