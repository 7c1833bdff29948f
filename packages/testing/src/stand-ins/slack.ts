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

export interface SlackStandInOptions {
  clientId?: string;
  clientSecret?: string;
  /** Token rotation on: user tokens expire after 12 hours and come with a refresh token. */
  tokenRotation?: boolean;
}

export interface SlackStandIn extends StandInServer {
  clientId: string;
  clientSecret: string;
  teamId: string;
  userId: string;
  /** Access tokens issued so far answer `token_expired` from now on. */
  expireAccessTokens(): void;
  /** The next oauth.v2.access call answers `{ok: false, error}` (`ratelimited` with a 429). */
  failNextTokenRequest(error: string): void;
  /** Whether the access token still opens the API. */
  isLive(accessToken: string): boolean;
  /** Revokes every authorization, as users removing the app would. */
  revokeAllAuthorizations(): void;
}

interface Authorization {
  scope: string;
  revoked: boolean;
  refreshToken?: string;
}

const ACCESS_TOKEN_TTL_S = 43_200;
const TEAM = { id: 'T0STANDIN', name: 'Stand-in Workspace' };
const USER_ID = 'U0STANDIN';

/**
 * Slack on loopback, as its docs describe it: OAuth v2 for user tokens (`user_scope`), the
 * token nested under `authed_user` on a code exchange and at the top level on a refresh,
 * every Web API answer `{ok, error}` with HTTP 200, auth.revoke and auth.test.
 * https://docs.slack.dev/authentication/installing-with-oauth
 */
export async function startSlackStandIn(options: SlackStandInOptions = {}): Promise<SlackStandIn> {
  const clientId = options.clientId ?? '2141029472.691202649728';
  const clientSecret = options.clientSecret ?? 'slack-stand-in-secret';
  const codes = new Map<string, { redirectUri: string; scope: string }>();
  const accessTokens = new Map<string, { authorization: Authorization; expired: boolean }>();
  const refreshTokens = new Map<string, Authorization>();
  let nextFailure: string | undefined;

  function issueUserToken(authorization: Authorization) {
    const accessToken = randomTokenValue(options.tokenRotation ? 'xoxe.xoxp-1-' : 'xoxp-');
    accessTokens.set(accessToken, { authorization, expired: false });
    const token = { scope: authorization.scope, access_token: accessToken, token_type: 'user' };
    if (!options.tokenRotation) return token;
    const refreshToken = randomTokenValue('xoxe-1-');
    if (authorization.refreshToken) refreshTokens.delete(authorization.refreshToken);
    authorization.refreshToken = refreshToken;
    refreshTokens.set(refreshToken, authorization);
    return { ...token, refresh_token: refreshToken, expires_in: ACCESS_TOKEN_TTL_S };
  }

  function authorize(request: StandInRequest): StandInAnswer {
    const { client_id, redirect_uri, state, user_scope } = request.query;
    if (client_id !== clientId || !redirect_uri) return { status: 400, body: 'invalid_client_id' };
    const code = randomTokenValue('4724469134.');
    codes.set(code, { redirectUri: redirect_uri, scope: user_scope ?? '' });
    return redirectAnswer(redirect_uri, { code, state });
  }

  /** https://docs.slack.dev/reference/methods/oauth.v2.access */
  function access(request: StandInRequest): StandInAnswer {
    if (nextFailure !== undefined) {
      const error = nextFailure;
      nextFailure = undefined;
      return jsonAnswer(error === 'ratelimited' ? 429 : 200, { ok: false, error });
    }
    const fields = fieldsOf(request);
    const client = clientCredentialsOf(request, fields);
    if (client.id !== clientId) return slackError('invalid_client_id');
    if (client.secret !== clientSecret) return slackError('bad_client_secret');
    if (fields.grant_type === 'refresh_token') return refresh(fields.refresh_token ?? '');
    if (fields.grant_type !== undefined && fields.grant_type !== 'authorization_code') {
      return slackError('invalid_grant_type');
    }
    const issued = codes.get(fields.code ?? '');
    codes.delete(fields.code ?? '');
    if (!issued) return slackError('invalid_code');
    if (fields.redirect_uri !== undefined && fields.redirect_uri !== issued.redirectUri) {
      return slackError('bad_redirect_uri');
    }
    const authorization: Authorization = { scope: issued.scope, revoked: false };
    return jsonAnswer(200, {
      ok: true,
      app_id: 'A0STANDIN',
      authed_user: { id: USER_ID, ...issueUserToken(authorization) },
      team: TEAM,
      enterprise: null,
      is_enterprise_install: false,
    });
  }

  function refresh(refreshToken: string): StandInAnswer {
    const authorization = refreshTokens.get(refreshToken);
    if (!options.tokenRotation || !authorization || authorization.revoked) {
      return slackError('invalid_refresh_token');
    }
    return jsonAnswer(200, {
      ok: true,
      app_id: 'A0STANDIN',
      ...issueUserToken(authorization),
      team: TEAM,
      enterprise: null,
      is_enterprise_install: false,
    });
  }

  /** The access token's state, as Slack names it in an API error. */
  function tokenProblem(request: StandInRequest): string | undefined {
    const accessToken = tokenOf(request, ['Bearer']) ?? fieldsOf(request).token;
    if (!accessToken) return 'not_authed';
    const held = accessTokens.get(accessToken);
    if (!held) return 'invalid_auth';
    if (held.authorization.revoked) return 'token_revoked';
    return held.expired ? 'token_expired' : undefined;
  }

  /** https://docs.slack.dev/reference/methods/auth.revoke */
  function revoke(request: StandInRequest): StandInAnswer {
    const problem = tokenProblem(request);
    if (problem) return slackError(problem);
    const accessToken = tokenOf(request, ['Bearer']) ?? fieldsOf(request).token ?? '';
    const authorization = accessTokens.get(accessToken)?.authorization;
    const test = ['1', 'true'].includes(fieldsOf(request).test ?? '');
    if (authorization && !test) authorization.revoked = true;
    return jsonAnswer(200, { ok: true, revoked: !test });
  }

  /** https://docs.slack.dev/reference/methods/auth.test */
  function authTest(request: StandInRequest): StandInAnswer {
    const problem = tokenProblem(request);
    if (problem) return slackError(problem);
    const url = 'https://stand-in.slack.com/';
    return jsonAnswer(200, {
      ok: true,
      url,
      team: TEAM.name,
      user: 'ada',
      team_id: TEAM.id,
      user_id: USER_ID,
    });
  }

  function route(request: StandInRequest): StandInAnswer {
    if (request.method === 'GET' && request.path === '/oauth/v2/authorize')
      return authorize(request);
    if (request.path === '/api/oauth.v2.access') return access(request);
    if (request.path === '/api/auth.revoke') return revoke(request);
    if (request.path === '/api/auth.test') return authTest(request);
    return slackError('unknown_method');
  }

  const server = await startStandInServer(route);
  return {
    ...server,
    clientId,
    clientSecret,
    teamId: TEAM.id,
    userId: USER_ID,
    expireAccessTokens: () => {
      for (const held of accessTokens.values()) held.expired = true;
    },
    failNextTokenRequest: (error) => {
      nextFailure = error;
    },
    revokeAllAuthorizations: () => {
      for (const held of accessTokens.values()) held.authorization.revoked = true;
    },
    isLive: (accessToken) => {
      const held = accessTokens.get(accessToken);
      return held !== undefined && !held.expired && !held.authorization.revoked;
    },
  };
}

function slackError(error: string): StandInAnswer {
  return jsonAnswer(200, { ok: false, error });
}
