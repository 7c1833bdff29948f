/** When a token was obtained and when it expires (epoch ms; null: no known expiry). */
export interface TokenLifetime {
  obtainedAt: number;
  expiresAt: number | null;
}

/**
 * The margin before expiry at which a token is renewed: the configured one, but never more
 * than half the token's lifetime. A provider issuing 30-second tokens under a 60-second
 * margin would otherwise see a refresh on every call.
 */
export function refreshMarginFor(token: TokenLifetime, configuredMarginMs: number): number {
  if (token.expiresAt === null) return configuredMarginMs;
  const halfLifetimeMs = Math.max(0, token.expiresAt - token.obtainedAt) / 2;
  return Math.min(configuredMarginMs, halfLifetimeMs);
}

/** Fresh unless it expires within its refresh margin (so it never expires on the way). */
export function isTokenFresh(token: TokenLifetime, now: number, configuredMarginMs: number) {
  return (
    token.expiresAt === null || token.expiresAt - refreshMarginFor(token, configuredMarginMs) > now
  );
}
