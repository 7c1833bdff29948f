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

export interface SalesforceStandIn extends StandInServer {
  clientId: string;
  clientSecret: string;
  /** The `instance_url` the token endpoint answers from now on (the stand-in's own at first). */
  answerInstanceUrl(url: string): void;
  /** Access tokens issued so far answer `INVALID_SESSION_ID` from now on, as expired ones do. */
  expireAccessTokens(): void;
  isLive(accessToken: string): boolean;
}

interface Grant {
  revoked: boolean;
}

const ORG_ID = '00Dx0000000BV7z';
const USER_ID = '005x00000012Q9P';

/** Salesforce's OAuth errors: RFC 6749 §5.2's shape, always HTTP 400. */
function oauthError(error: string, description: string): StandInAnswer {
  return jsonAnswer(400, { error, error_description: description });
}

/**
 * Salesforce on loopback: `/services/oauth2/authorize`, `/services/oauth2/token` (answers
 * with `instance_url`, `id`, `issued_at` and `signature`, never `expires_in`), the RFC 7009
 * `/services/oauth2/revoke` (a refresh token ends its access tokens too), and the REST API's
 * `/services/data/v62.0/sobjects`, whose auth error is a 401 list of `{message, errorCode}`.
 * https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_web_server_flow.htm
 */
export async function startSalesforceStandIn(): Promise<SalesforceStandIn> {
  const clientId = '3MVG9lKcPoNINVBIPJjdw1J9LLM82Hn';
  const clientSecret = 'salesforce-stand-in-secret';
  const codes = new Map<string, { redirectUri: string; scope: string }>();
  const accessTokens = new Map<string, { grant: Grant; expired: boolean }>();
  const refreshTokens = new Map<string, Grant>();
  let baseUrl = '';
  let instanceUrl = '';

  /** Salesforce's access tokens are the org id, `!`, then an opaque part. */
  function tokenAnswer(grant: Grant, scope: string) {
    const accessToken = randomTokenValue(`${ORG_ID}!AR8A`);
    accessTokens.set(accessToken, { grant, expired: false });
    return {
      access_token: accessToken,
      signature: randomTokenValue(''),
      scope,
      instance_url: instanceUrl,
      id: `${baseUrl}/id/${ORG_ID}/${USER_ID}`,
      token_type: 'Bearer',
      issued_at: String(Date.now()),
    };
  }

  function authorize(request: StandInRequest): StandInAnswer {
    const { client_id, redirect_uri, state, scope } = request.query;
    if (client_id !== clientId || !redirect_uri) {
      return oauthError('invalid_client_id', 'client identifier invalid');
    }
    const code = randomTokenValue('aPrx');
    codes.set(code, { redirectUri: redirect_uri, scope: scope ?? '' });
    return redirectAnswer(redirect_uri, { code, state });
  }

  function token(request: StandInRequest): StandInAnswer {
    const fields = fieldsOf(request);
    if (fields.client_id !== clientId)
      return oauthError('invalid_client_id', 'client identifier invalid');
    if (fields.client_secret !== clientSecret)
      return oauthError('invalid_client', 'invalid client credentials');
    if (fields.grant_type === 'refresh_token') {
      const grant = refreshTokens.get(fields.refresh_token ?? '');
      if (!grant || grant.revoked)
        return oauthError('invalid_grant', 'expired access/refresh token');
      return jsonAnswer(200, tokenAnswer(grant, 'refresh_token api'));
    }
    const issued = codes.get(fields.code ?? '');
    codes.delete(fields.code ?? '');
    if (!issued || fields.redirect_uri !== issued.redirectUri) {
      return oauthError('invalid_grant', 'authentication failure');
    }
    const grant: Grant = { revoked: false };
    const refreshToken = randomTokenValue('5Aep');
    refreshTokens.set(refreshToken, grant);
    return jsonAnswer(200, { ...tokenAnswer(grant, issued.scope), refresh_token: refreshToken });
  }

  /** RFC 7009: 200 for any token, known or not; a refresh token takes its grant with it. */
  function revoke(request: StandInRequest): StandInAnswer {
    const { token: value = '' } = fieldsOf(request);
    if (!value) return oauthError('unsupported_token_type', 'this token type is not supported');
    const held = accessTokens.get(value);
    if (held) held.expired = true;
    const grant = refreshTokens.get(value);
    if (grant) grant.revoked = true;
    return { status: 200 };
  }

  function sobjects(request: StandInRequest): StandInAnswer {
    const held = accessTokens.get(tokenOf(request, ['Bearer']) ?? '');
    if (!held || held.expired || held.grant.revoked) {
      return jsonAnswer(401, [
        { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
      ]);
    }
    return jsonAnswer(200, {
      encoding: 'UTF-8',
      maxBatchSize: 200,
      sobjects: [{ name: 'Account', queryable: true }],
    });
  }

  function route(request: StandInRequest): StandInAnswer {
    const { method, path } = request;
    if (method === 'GET' && path === '/services/oauth2/authorize') return authorize(request);
    if (method === 'POST' && path === '/services/oauth2/token') return token(request);
    if (method === 'POST' && path === '/services/oauth2/revoke') return revoke(request);
    if (method === 'GET' && path === '/services/data/v62.0/sobjects') return sobjects(request);
    return jsonAnswer(404, [
      { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
    ]);
  }

  const server = await startStandInServer(route);
  baseUrl = server.baseUrl;
  instanceUrl = server.baseUrl;
  return {
    ...server,
    clientId,
    clientSecret,
    answerInstanceUrl: (url) => {
      instanceUrl = url;
    },
    expireAccessTokens: () => {
      for (const held of accessTokens.values()) held.expired = true;
    },
    isLive: (accessToken) => {
      const held = accessTokens.get(accessToken);
      return held !== undefined && !held.expired && !held.grant.revoked;
    },
  };
}
