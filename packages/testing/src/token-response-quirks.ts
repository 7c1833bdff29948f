import type { KoaContextWithOIDC, Provider } from 'oidc-provider';

/**
 * Ways real providers answer the token endpoint that oidc-provider does not by default.
 * RFC 6749 allows the first two: `expires_in` is only RECOMMENDED (§5.1; some providers send
 * `0` for "unknown"), and a refresh
 * response may leave the refresh token out, in which case the old one stays valid (§6).
 * The third is a provider adding a `WWW-Authenticate` challenge to an error answer that
 * §5.2 only asks of a failed client authentication.
 */
export interface TokenResponseQuirks {
  /** Token responses carry no `expires_in`. */
  omitExpiresIn?: boolean;
  /** Token responses carry this `expires_in` instead of the provider's (e.g. `0`). */
  expiresIn?: number;
  /** Refresh tokens are not rotated, and a refresh response carries no `refresh_token`. */
  keepRefreshToken?: boolean;
  /**
   * This `WWW-Authenticate` value on every error answer that has none (oidc-provider sends
   * one itself only with a 401 `invalid_client`); the JSON error body stays as it is.
   */
  errorChallenge?: string;
  /**
   * Fields added to every successful token response, as providers add their own (Salesforce's
   * `instance_url`, Slack's `team`).
   */
  extraFields?: Record<string, unknown>;
}

export interface TokenResponseQuirksHandle {
  set(quirks: TokenResponseQuirks): void;
  /** For oidc-provider's `rotateRefreshToken` setting. */
  rotateRefreshToken(): boolean;
}

export function createTokenResponseQuirks(): TokenResponseQuirksHandle & {
  install(provider: Provider): void;
} {
  let quirks: TokenResponseQuirks = {};
  return {
    set: (next) => {
      quirks = { ...next };
    },
    rotateRefreshToken: () => !quirks.keepRefreshToken,
    install(provider) {
      const tokenPath = provider.pathFor('token');
      provider.use(async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
        await next();
        if (ctx.path !== tokenPath) return;
        if (ctx.status === 200) reshapeTokenResponse(ctx, quirks);
        else if (ctx.status >= 400) addErrorChallenge(ctx, quirks);
      });
    },
  };
}

function reshapeTokenResponse(ctx: KoaContextWithOIDC, quirks: TokenResponseQuirks): void {
  const body = ctx.body as Record<string, unknown> | undefined;
  if (typeof body !== 'object' || body === null) return;
  Object.assign(body, quirks.extraFields);
  if (quirks.omitExpiresIn) delete body.expires_in;
  if (quirks.expiresIn !== undefined) body.expires_in = quirks.expiresIn;
  const grantType = (ctx.oidc?.params as { grant_type?: unknown } | undefined)?.grant_type;
  if (quirks.keepRefreshToken && grantType === 'refresh_token') delete body.refresh_token;
}

function addErrorChallenge(ctx: KoaContextWithOIDC, quirks: TokenResponseQuirks): void {
  if (quirks.errorChallenge && !ctx.response.get('www-authenticate')) {
    ctx.set('www-authenticate', quirks.errorChallenge);
  }
}
