import { BAD_CREDENTIALS, NOT_FOUND, tokenError } from './github-answers';
import {
  basicCredentialsOf,
  fieldsOf,
  formAnswer,
  jsonAnswer,
  randomTokenValue,
  redirectAnswer,
  type StandInAnswer,
  type StandInRequest,
  type StandInServer,
  startStandInServer,
  tokenOf,
} from './stand-in-server';

export interface GitHubStandInOptions {
  clientId?: string;
  clientSecret?: string;
  /** A GitHub App's user tokens: they expire and come with a refresh token. */
  expiringTokens?: boolean;
}

export interface GitHubStandIn extends StandInServer {
  clientId: string;
  clientSecret: string;
  /** Access tokens issued so far answer 401 from now on, as expired ones do. */
  expireAccessTokens(): void;
  /** The next authorization request is refused (`error=access_denied`). */
  denyNextAuthorization(): void;
  /** Whether the access token still opens the API. */
  isLive(accessToken: string): boolean;
  /** Deletes every grant and its tokens, as users revoking the app in their settings would. */
  deleteAllGrants(): void;
  /** The user renames their account: `/user` answers this login from now on. */
  renameUser(login: string): void;
}

interface Grant {
  scope: string;
  accessTokens: Set<string>;
  refreshTokens: Set<string>;
}

/** Lifetimes of a GitHub App user token and its refresh token (8 hours, 6 months). */
const ACCESS_TOKEN_TTL_S = 28_800;
const REFRESH_TOKEN_TTL_S = 15_897_600;

/**
 * GitHub (and GitHub Enterprise Server, whose API is under `/api/v3`) on loopback, as its
 * docs describe it: the web application flow, token errors answered with HTTP 200 in JSON
 * or form encoding by the `Accept` header, `/user`, and grant deletion.
 * https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
 */
export async function startGitHubStandIn(
  options: GitHubStandInOptions = {},
): Promise<GitHubStandIn> {
  const clientId = options.clientId ?? 'Iv1.standin0000001';
  const clientSecret = options.clientSecret ?? 'github-stand-in-secret';
  const codes = new Map<string, { redirectUri: string; scope: string }>();
  const accessTokens = new Map<string, { grant: Grant; expired: boolean }>();
  const refreshTokens = new Map<string, Grant>();
  let denyNext = false;
  let login = 'octocat';

  function issueTokens(grant: Grant): Record<string, string | number> {
    const accessToken = randomTokenValue(options.expiringTokens ? 'ghu_' : 'gho_');
    grant.accessTokens.add(accessToken);
    accessTokens.set(accessToken, { grant, expired: false });
    const scope = grant.scope.split(' ').filter(Boolean).join(',');
    if (!options.expiringTokens) return { access_token: accessToken, scope, token_type: 'bearer' };
    const refreshToken = randomTokenValue('ghr_');
    grant.refreshTokens.add(refreshToken);
    refreshTokens.set(refreshToken, grant);
    return {
      access_token: accessToken,
      expires_in: ACCESS_TOKEN_TTL_S,
      refresh_token: refreshToken,
      refresh_token_expires_in: REFRESH_TOKEN_TTL_S,
      scope,
      token_type: 'bearer',
    };
  }

  function authorize(request: StandInRequest): StandInAnswer {
    const { client_id, redirect_uri, state, scope } = request.query;
    if (client_id !== clientId || !redirect_uri) return jsonAnswer(404, NOT_FOUND);
    if (denyNext) {
      denyNext = false;
      const error = {
        error: 'access_denied',
        error_description: 'The user has denied your application access.',
      };
      return redirectAnswer(redirect_uri, { ...error, state });
    }
    const code = randomTokenValue('');
    codes.set(code, { redirectUri: redirect_uri, scope: scope ?? '' });
    return redirectAnswer(redirect_uri, { code, state });
  }

  /** Answers 200 whatever happened, in JSON only when asked for it. */
  function token(request: StandInRequest): StandInAnswer {
    const wantsJson = (request.headers.accept ?? '').includes('application/json');
    const answer = (fields: Record<string, string | number>) =>
      wantsJson ? jsonAnswer(200, fields) : formAnswer(200, fields);
    const fields = fieldsOf(request);
    if (fields.client_id !== clientId || fields.client_secret !== clientSecret) {
      return answer(
        tokenError(
          'incorrect_client_credentials',
          'The client_id and/or client_secret passed are incorrect.',
        ),
      );
    }
    if (fields.grant_type === 'refresh_token') {
      const grant = refreshTokens.get(fields.refresh_token ?? '');
      if (!grant)
        return answer(
          tokenError('bad_refresh_token', 'The refresh token passed is incorrect or expired.'),
        );
      refreshTokens.delete(fields.refresh_token ?? '');
      grant.refreshTokens.delete(fields.refresh_token ?? '');
      return answer(issueTokens(grant));
    }
    const issued = codes.get(fields.code ?? '');
    codes.delete(fields.code ?? '');
    if (!issued)
      return answer(
        tokenError('bad_verification_code', 'The code passed is incorrect or expired.'),
      );
    if (fields.redirect_uri !== undefined && fields.redirect_uri !== issued.redirectUri) {
      return answer(
        tokenError(
          'redirect_uri_mismatch',
          'The redirect_uri MUST match the registered callback URL for this application.',
        ),
      );
    }
    return answer(
      issueTokens({ scope: issued.scope, accessTokens: new Set(), refreshTokens: new Set() }),
    );
  }

  function user(request: StandInRequest): StandInAnswer {
    const accessToken = tokenOf(request, ['Bearer', 'token']);
    const held = accessTokens.get(accessToken ?? '');
    if (!held || held.expired) return jsonAnswer(401, BAD_CREDENTIALS);
    return jsonAnswer(200, { login, id: 583231, type: 'User' });
  }

  /** https://docs.github.com/en/rest/apps/oauth-applications#delete-an-app-authorization */
  function deleteGrant(request: StandInRequest, pathClientId: string): StandInAnswer {
    const credentials = basicCredentialsOf(request);
    const authenticated = credentials?.id === clientId && credentials.secret === clientSecret;
    if (!authenticated || pathClientId !== clientId) return jsonAnswer(404, NOT_FOUND);
    const accessToken = fieldsOf(request).access_token;
    if (!accessToken) return jsonAnswer(422, { message: 'Validation Failed', status: '422' });
    const held = accessTokens.get(accessToken);
    if (!held) return jsonAnswer(404, NOT_FOUND);
    for (const value of held.grant.accessTokens) accessTokens.delete(value);
    for (const value of held.grant.refreshTokens) refreshTokens.delete(value);
    return { status: 204 };
  }

  function route(request: StandInRequest): StandInAnswer {
    const path = request.path.replace(/^\/api\/v3(?=\/)/, '');
    if (request.method === 'GET' && path === '/login/oauth/authorize') return authorize(request);
    if (request.method === 'POST' && path === '/login/oauth/access_token') return token(request);
    if (request.method === 'GET' && path === '/user') return user(request);
    const grant = /^\/applications\/([^/]+)\/grant$/.exec(path);
    if (request.method === 'DELETE' && grant?.[1])
      return deleteGrant(request, decodeURIComponent(grant[1]));
    return jsonAnswer(404, NOT_FOUND);
  }

  const server = await startStandInServer(route);
  return {
    ...server,
    clientId,
    clientSecret,
    expireAccessTokens: () => {
      for (const held of accessTokens.values()) held.expired = true;
    },
    denyNextAuthorization: () => {
      denyNext = true;
    },
    deleteAllGrants: () => {
      accessTokens.clear();
      refreshTokens.clear();
    },
    isLive: (accessToken) => accessTokens.get(accessToken)?.expired === false,
    renameUser: (next) => {
      login = next;
    },
  };
}
