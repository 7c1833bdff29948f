/**
 * What a provider does that its catalog entry cannot say, in one small module per provider
 * (`quirks/<id>.ts`), so that the rest of Latchkey sees standard answers. Each hook is
 * optional; a module implements only what its provider needs.
 */
export interface ProviderQuirks {
  /**
   * Turns the token endpoint's answer (code exchange and refresh) into RFC 6749's shape:
   * §5.1 on success, §5.2 (`400` with `{error}`) on failure. Plugged in through
   * oauth4webapi's `customFetch`, after the catalog's data mapping.
   * https://www.rfc-editor.org/rfc/rfc6749#section-5
   */
  readonly tokenResponse?: (response: Response) => Promise<Response>;
  /**
   * Revokes a token the provider's own way, for entries with `revocation.method: "quirk"`
   * (the RFC 7009 request is core's). Called once per token, as RFC 7009 is. Resolves once
   * the token is revoked, or without a request for a token the provider revokes through the
   * other one (GitHub, Slack, Dropbox and Strava end the whole grant through the access
   * token, which must then be live: refresh an expired one first). Throws on any other
   * outcome, so the caller's retry queue keeps the token.
   * https://www.rfc-editor.org/rfc/rfc7009#section-2
   */
  readonly revoke?: (revocation: QuirkRevocation) => Promise<void>;
  /**
   * Whether an API answer says the access token is dead (expired or revoked) although its
   * status is not `401`: the proxy then refreshes and retries as it does on a 401 (RFC 6750
   * §3.1). The proxy buffers an answer's body only for providers whose module has this hook,
   * and only up to DEAD_TOKEN_ANSWER_MAX_BYTES: a longer answer streams on untouched and is
   * never a dead-token answer. https://www.rfc-editor.org/rfc/rfc6750#section-3.1
   */
  readonly isDeadTokenAnswer?: (answer: ApiAnswer) => boolean;
}

/** The largest API answer body the proxy buffers for `isDeadTokenAnswer`. */
export const DEAD_TOKEN_ANSWER_MAX_BYTES = 16 * 1024;

/** A quirk module's request: never following redirects, which could carry a token away. */
export interface QuirkRequest {
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  redirect: 'manual';
  signal?: AbortSignal;
}

/** oauth4webapi's `customFetch` shape: core passes its egress-checked fetch. */
export type QuirkFetch = (url: string, init: QuirkRequest) => Promise<Response>;

/** One token to revoke, with what the provider's revocation request needs. */
export interface QuirkRevocation {
  fetch: QuirkFetch;
  token: string;
  /** RFC 7009 §2.1's `token_type_hint`: which of the connection's tokens this is. */
  tokenTypeHint: 'access_token' | 'refresh_token';
  clientId: string;
  clientSecret: string;
  /** The entry's `apiBaseUrl` rendered for this connector (a GitHub Enterprise host). */
  apiBaseUrl: string;
  /** The entry's `apiHeaders`, for a provider that wants them on revocation too (Notion). */
  apiHeaders: Readonly<Record<string, string>>;
  signal?: AbortSignal;
}

/** An API answer as the proxy received it; `body` is its text, at most the bound above. */
export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: string;
}
