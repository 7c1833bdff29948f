import {
  clientCredentialsOf,
  fieldsOf,
  jsonAnswer,
  randomTokenValue,
  redirectAnswer,
  type StandInAnswer,
  type StandInRequest,
  type StandInServer,
  startStandInServer,
  tokenOf,
} from './stand-in-server';

export interface DropboxStandIn extends StandInServer {
  clientId: string;
  clientSecret: string;
  /** Access tokens issued so far answer `expired_access_token` from now on. */
  expireAccessTokens(): void;
  isLive(accessToken: string): boolean;
}

interface Grant {
  revoked: boolean;
}

/** A short-lived access token's lifetime (4 hours). */
const ACCESS_TOKEN_TTL_S = 14_400;

/**
 * Dropbox on loopback: `/oauth2/authorize`, `/oauth2/token` (RFC 6749 answers, refresh
 * tokens with `token_access_type=offline`), and the API under `/2`: auth/token/revoke and
 * users/get_current_account, whose auth errors are a 401 with Dropbox's `.tag`.
 * https://developers.dropbox.com/oauth-guide
 */
export async function startDropboxStandIn(): Promise<DropboxStandIn> {
  const clientId = 'dropbox-stand-in-key';
  const clientSecret = 'dropbox-stand-in-secret';
  const codes = new Map<string, { redirectUri: string; scope: string; offline: boolean }>();
  const accessTokens = new Map<string, { grant: Grant; expired: boolean }>();
  const refreshTokens = new Map<string, Grant>();

  function issueAccessToken(grant: Grant, scope: string) {
    const accessToken = randomTokenValue('sl.u.');
    accessTokens.set(accessToken, { grant, expired: false });
    return {
      access_token: accessToken,
      expires_in: ACCESS_TOKEN_TTL_S,
      token_type: 'bearer',
      scope,
    };
  }

  function authorize(request: StandInRequest): StandInAnswer {
    const { client_id, redirect_uri, state, scope, token_access_type } = request.query;
    if (client_id !== clientId || !redirect_uri) return { status: 400, body: 'invalid client_id' };
    const code = randomTokenValue('');
    codes.set(code, {
      redirectUri: redirect_uri,
      scope: scope ?? '',
      offline: token_access_type === 'offline',
    });
    return redirectAnswer(redirect_uri, { code, state });
  }

  function token(request: StandInRequest): StandInAnswer {
    const fields = fieldsOf(request);
    const client = clientCredentialsOf(request, fields);
    if (client.id !== clientId || client.secret !== clientSecret) {
      return jsonAnswer(400, {
        error: 'invalid_client',
        error_description: 'Invalid client_id or client_secret',
      });
    }
    if (fields.grant_type === 'refresh_token') {
      const grant = refreshTokens.get(fields.refresh_token ?? '');
      if (!grant || grant.revoked) {
        return jsonAnswer(400, {
          error: 'invalid_grant',
          error_description: 'refresh token is invalid or revoked',
        });
      }
      return jsonAnswer(200, issueAccessToken(grant, ''));
    }
    const issued = codes.get(fields.code ?? '');
    codes.delete(fields.code ?? '');
    if (!issued || fields.redirect_uri !== issued.redirectUri) {
      return jsonAnswer(400, {
        error: 'invalid_grant',
        error_description: "code doesn't exist or has expired",
      });
    }
    const grant: Grant = { revoked: false };
    const tokens = {
      ...issueAccessToken(grant, issued.scope),
      account_id: 'dbid:STANDIN',
      uid: '12345',
    };
    if (!issued.offline) return jsonAnswer(200, tokens);
    const refreshToken = randomTokenValue('');
    refreshTokens.set(refreshToken, grant);
    return jsonAnswer(200, { ...tokens, refresh_token: refreshToken });
  }

  /** A 401 as the API answers a token it does not take. */
  function authError(request: StandInRequest): StandInAnswer | undefined {
    const held = accessTokens.get(tokenOf(request, ['Bearer']) ?? '');
    const tag =
      !held || held.grant.revoked
        ? 'invalid_access_token'
        : held.expired
          ? 'expired_access_token'
          : undefined;
    return tag
      ? jsonAnswer(401, { error_summary: `${tag}/..`, error: { '.tag': tag } })
      : undefined;
  }

  /** https://www.dropbox.com/developers/documentation/http/documentation#auth-token-revoke */
  function revoke(request: StandInRequest): StandInAnswer {
    const refused = authError(request);
    if (refused) return refused;
    const held = accessTokens.get(tokenOf(request, ['Bearer']) ?? '');
    if (held) held.grant.revoked = true;
    return jsonAnswer(200, null);
  }

  function route(request: StandInRequest): StandInAnswer {
    if (request.method === 'GET' && request.path === '/oauth2/authorize') return authorize(request);
    if (request.method === 'POST' && request.path === '/oauth2/token') return token(request);
    if (request.method === 'POST' && request.path === '/2/auth/token/revoke')
      return revoke(request);
    if (request.method === 'POST' && request.path === '/2/users/get_current_account') {
      return (
        authError(request) ??
        jsonAnswer(200, { account_id: 'dbid:STANDIN', email: 'ada@example.com' })
      );
    }
    return { status: 404, body: 'Unknown API function' };
  }

  const server = await startStandInServer(route);
  return {
    ...server,
    clientId,
    clientSecret,
    expireAccessTokens: () => {
      for (const held of accessTokens.values()) held.expired = true;
    },
    isLive: (accessToken) => {
      const held = accessTokens.get(accessToken);
      return held !== undefined && !held.expired && !held.grant.revoked;
    },
  };
}
