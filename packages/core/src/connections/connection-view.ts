import { z } from 'zod';
import type { StoredConnection } from '../store';

/** A connection's health as the API says it: `refresh_failing` is connected, cooling down. */
export const CONNECTION_STATES = ['connected', 'refresh_failing', 'reauth_required'] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

const isoTime = z.string().nullable();

/** The caller's connection to a connector, beside `userAuthStatus`; never a token. */
export const connectionViewSchema = z.object({
  status: z.enum(CONNECTION_STATES),
  /** The error code of the last failed refresh while `refresh_failing`, else null. */
  lastError: z.string().nullable(),
  /** When a refresh may next go to the provider while `refresh_failing`, else null. */
  nextAttemptAt: isoTime,
  lastUsedAt: isoTime,
  /** When a refresh last renewed the tokens; null until the first one. */
  lastRefreshedAt: isoTime,
});
export type ConnectionView = z.infer<typeof connectionViewSchema>;

export function connectionStateOf(connection: StoredConnection): ConnectionState {
  switch (connection.status) {
    case 'connected':
      return connection.refreshFailure ? 'refresh_failing' : 'connected';
    case 'reauth_required':
      return 'reauth_required';
  }
}

export function toConnectionView(connection: StoredConnection): ConnectionView {
  const failure = connection.refreshFailure;
  return {
    status: connectionStateOf(connection),
    lastError: failure?.code ?? null,
    nextAttemptAt: isoOrNull(failure?.nextAttemptAt ?? null),
    lastUsedAt: isoOrNull(connection.lastUsedAt),
    lastRefreshedAt: isoOrNull(connection.lastRefreshedAt),
  };
}

function isoOrNull(time: number | null): string | null {
  return time === null ? null : new Date(time).toISOString();
}
