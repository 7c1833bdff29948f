import type * as oauth from 'oauth4webapi';

/**
 * How long an issuer's metadata is used before it is fetched again. Servers change their
 * endpoints rarely, and announce it in advance; an hour bounds how long a change takes to
 * reach every instance without a metadata request per flow or refresh.
 */
export const METADATA_TTL_MS = 60 * 60 * 1000;

/**
 * Issuers' metadata in this process's memory, by issuer identifier. A failed fetch is not
 * cached (the next call tries again) and never falls back to expired metadata: endpoints
 * older than the TTL are not trusted, and the caller fails clearly instead.
 */
export interface MetadataCache {
  /** The issuer's metadata, loaded by `load` (once, whoever asks meanwhile) when absent or expired. */
  get(
    issuer: string,
    now: number,
    load: () => Promise<oauth.AuthorizationServer>,
  ): Promise<oauth.AuthorizationServer>;
  /** The issuer's metadata if cached and fresh; never fetches (inside a transaction). */
  peek(issuer: string, now: number): oauth.AuthorizationServer | undefined;
  /** Metadata fetched and checked elsewhere: a connector being saved. */
  set(issuer: string, metadata: oauth.AuthorizationServer, now: number): void;
}

interface CachedMetadata {
  metadata: oauth.AuthorizationServer;
  fetchedAt: number;
}

export function createMetadataCache(): MetadataCache {
  const entries = new Map<string, CachedMetadata>();
  const loading = new Map<string, Promise<oauth.AuthorizationServer>>();

  const set = (issuer: string, metadata: oauth.AuthorizationServer, now: number) => {
    entries.set(issuer, { metadata, fetchedAt: now });
  };

  const peek = (issuer: string, now: number) => {
    const cached = entries.get(issuer);
    return cached && now - cached.fetchedAt < METADATA_TTL_MS ? cached.metadata : undefined;
  };

  return {
    set,
    peek,
    get(issuer, now, load) {
      const cached = peek(issuer, now);
      if (cached) return Promise.resolve(cached);
      const pending = loading.get(issuer);
      if (pending) return pending;
      const loaded = load()
        .then((metadata) => {
          set(issuer, metadata, now);
          return metadata;
        })
        .finally(() => loading.delete(issuer));
      loading.set(issuer, loaded);
      return loaded;
    },
  };
}
