import {
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

export interface StravaStandIn extends StandInServer {
  clientId: string;
  clientSecret: string;
  /** Access tokens issued so far answer 401 from now on, as expired ones do. */
  expireAccessTokens(): void;
  isLive(accessToken: string): boolean;
}

interface Grant {
  revoked: boolean;
}

const ACCESS_TOKEN_TTL_S = 21_600;
const ATHLETE = { id: 134815, username: 'ada', resource_state: 2 };

/** Strava's error answer: `{message, errors: [{resource, field, code}]}`. */
function stravaError(status: number, message: string, resource: string, field: string) {
  return jsonAnswer(status, { message, errors: [{ resource, field, code: 'invalid' }] });
}

/**
 * Strava on loopback: `/oauth/authorize` (accepted scopes echoed in the callback),
 * `/oauth/token` (its own error shape), `/oauth/deauthorize`, and `/api/v3/athlete`.
 * https://developers.strava.com/docs/authentication/
 */
export async function startStravaStandIn(): Promise<StravaStandIn> {
  const clientId = '12345';
  const clientSecret = 'strava-stand-in-secret';
  const codes = new Map<string, { redirectUri: string }>();
  const accessTokens = new Map<string, { grant: Grant; expired: boolean }>();
  const refreshTokens = new Map<string, Grant>();

  function issueTokens(grant: Grant) {
    const accessToken = randomTokenValue('');
    const refreshToken = randomTokenValue('');
    accessTokens.set(accessToken, { grant, expired: false });
    refreshTokens.set(refreshToken, grant);
    const expiresAt = Math.floor(Date.now() / 1000) + ACCESS_TOKEN_TTL_S;
    return {
      token_type: 'Bearer',
      expires_at: expiresAt,
      expires_in: ACCESS_TOKEN_TTL_S,
      refresh_token: refreshToken,
      access_token: accessToken,
    };
  }

  function authorize(request: StandInRequest): StandInAnswer {
    const { client_id, redirect_uri, state, scope } = request.query;
    if (client_id !== clientId || !redirect_uri) {
      return stravaError(400, 'Bad Request', 'Application', 'client_id');
    }
    const code = randomTokenValue('');
    codes.set(code, { redirectUri: redirect_uri });
    return redirectAnswer(redirect_uri, { state, code, scope });
  }

  function token(request: StandInRequest): StandInAnswer {
    const fields = fieldsOf(request);
    if (fields.client_id !== clientId) {
      return stravaError(400, 'Bad Request', 'Application', 'client_id');
    }
    if (fields.client_secret !== clientSecret) {
      return stravaError(401, 'Authorization Error', 'Application', 'client_secret');
    }
    if (fields.grant_type === 'refresh_token') {
      const grant = refreshTokens.get(fields.refresh_token ?? '');
      refreshTokens.delete(fields.refresh_token ?? '');
      if (!grant || grant.revoked) {
        return stravaError(400, 'Bad Request', 'RefreshToken', 'refresh_token');
      }
      return jsonAnswer(200, issueTokens(grant));
    }
    const issued = codes.get(fields.code ?? '');
    codes.delete(fields.code ?? '');
    if (!issued) return stravaError(400, 'Bad Request', 'AuthorizationCode', 'code');
    return jsonAnswer(200, { ...issueTokens({ revoked: false }), athlete: ATHLETE });
  }

  function liveGrant(accessToken: string | undefined): Grant | undefined {
    const held = accessTokens.get(accessToken ?? '');
    return held && !held.expired && !held.grant.revoked ? held.grant : undefined;
  }

  /** Ends every token the app holds for the athlete. */
  function deauthorize(request: StandInRequest): StandInAnswer {
    const accessToken = fieldsOf(request).access_token ?? tokenOf(request, ['Bearer']);
    const grant = liveGrant(accessToken);
    if (!grant) return stravaError(401, 'Authorization Error', 'Athlete', 'access_token');
    grant.revoked = true;
    return jsonAnswer(200, { access_token: accessToken });
  }

  function route(request: StandInRequest): StandInAnswer {
    if (request.method === 'GET' && request.path === '/oauth/authorize') return authorize(request);
    if (request.method === 'POST' && request.path === '/oauth/token') return token(request);
    if (request.method === 'POST' && request.path === '/oauth/deauthorize') {
      return deauthorize(request);
    }
    if (request.method === 'GET' && request.path === '/api/v3/athlete') {
      if (liveGrant(tokenOf(request, ['Bearer']))) return jsonAnswer(200, ATHLETE);
      return stravaError(401, 'Authorization Error', 'Athlete', 'access_token');
    }
    return jsonAnswer(404, { message: 'Record Not Found', errors: [] });
  }

  const server = await startStandInServer(route);
  return {
    ...server,
    clientId,
    clientSecret,
    expireAccessTokens: () => {
      for (const held of accessTokens.values()) held.expired = true;
    },
    isLive: (accessToken) => liveGrant(accessToken) !== undefined,
  };
}
