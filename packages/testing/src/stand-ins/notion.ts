import {
  basicCredentialsOf,
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

export interface NotionStandIn extends StandInServer {
  clientId: string;
  clientSecret: string;
  workspaceId: string;
  /** Access tokens issued so far answer 401 `unauthorized` from now on, as expired ones do. */
  expireAccessTokens(): void;
  isLive(token: string): boolean;
}

const WORKSPACE_ID = '3c90c3cc-0d44-4b50-8888-8dd25736052a';
const BOT_ID = '7a1f3e2b-9c44-4d0a-8a1e-0f5c2b6d9e11';

/** The API's error answer: `{object: "error", status, code, message}`. */
function apiError(status: number, code: string, message: string): StandInAnswer {
  return jsonAnswer(status, { object: 'error', status, code, message, request_id: BOT_ID });
}

/** The token endpoint's error answer: RFC 6749 §5.2's shape. */
function oauthError(status: number, error: string, description: string): StandInAnswer {
  return jsonAnswer(status, { error, error_description: description });
}

/**
 * Notion on loopback: `/v1/oauth/authorize`, `/v1/oauth/token` (Basic client authentication,
 * a JSON body; a refresh answers new access and refresh tokens), `/v1/oauth/revoke` (Basic,
 * JSON `{token}`, `Notion-Version`), and `/v1/users/me`, which needs `Notion-Version` too.
 * https://developers.notion.com/reference/create-a-token
 */
export async function startNotionStandIn(): Promise<NotionStandIn> {
  // Notion's client ids are UUIDs: their `-` shows how Basic encodes them.
  const clientId = '463558a3-725e-4f37-b6d3-0889894f68de';
  const clientSecret = 'secret_notionStandIn';
  const codes = new Map<string, { redirectUri: string }>();
  const live = new Set<string>();

  function tokenAnswer() {
    const accessToken = randomTokenValue('ntn_');
    const refreshToken = randomTokenValue('nrt_');
    live.add(accessToken);
    live.add(refreshToken);
    return {
      access_token: accessToken,
      token_type: 'bearer',
      refresh_token: refreshToken,
      bot_id: BOT_ID,
      workspace_name: 'Acme',
      workspace_icon: null,
      workspace_id: WORKSPACE_ID,
      owner: { type: 'user', user: { object: 'user', id: 'e79a0b74-3aba-4149-9f74-0bb5791a6ee6' } },
      duplicated_template_id: null,
      request_id: randomTokenValue(''),
    };
  }

  function authorize(request: StandInRequest): StandInAnswer {
    const { client_id, redirect_uri, state, response_type } = request.query;
    if (client_id !== clientId || !redirect_uri || response_type !== 'code') {
      return apiError(400, 'invalid_request', 'Invalid client_id or redirect_uri.');
    }
    const code = randomTokenValue('');
    codes.set(code, { redirectUri: redirect_uri });
    return redirectAnswer(redirect_uri, { code, state });
  }

  function token(request: StandInRequest): StandInAnswer {
    if (request.headers['content-type']?.split(';')[0] !== 'application/json') {
      return oauthError(400, 'invalid_request', 'body failed validation');
    }
    const fields = fieldsOf(request);
    const client = clientCredentialsOf(request, {});
    if (client.id !== clientId || client.secret !== clientSecret) {
      return oauthError(401, 'invalid_client', 'Invalid client.');
    }
    if (fields.grant_type === 'refresh_token') {
      if (!live.delete(fields.refresh_token ?? '')) {
        return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
      }
      return jsonAnswer(200, tokenAnswer());
    }
    const issued = codes.get(fields.code ?? '');
    codes.delete(fields.code ?? '');
    if (!issued || fields.redirect_uri !== issued.redirectUri) {
      return oauthError(400, 'invalid_grant', 'Invalid code.');
    }
    return jsonAnswer(200, tokenAnswer());
  }

  /** https://developers.notion.com/reference/revoke-token */
  function revoke(request: StandInRequest): StandInAnswer {
    const basic = basicCredentialsOf(request);
    if (basic?.id !== clientId || basic.secret !== clientSecret) {
      return apiError(401, 'invalid_client', 'Invalid client');
    }
    if (!request.headers['notion-version']) {
      return apiError(400, 'missing_version', 'Notion-Version header failed validation.');
    }
    const { token: value } = fieldsOf(request);
    if (!value) return apiError(400, 'invalid_request', 'body.token should be defined.');
    live.delete(value);
    return jsonAnswer(200, { request_id: randomTokenValue('') });
  }

  function me(request: StandInRequest): StandInAnswer {
    if (!live.has(tokenOf(request, ['Bearer']) ?? '')) {
      return apiError(401, 'unauthorized', 'API token is invalid.');
    }
    if (!request.headers['notion-version']) {
      return apiError(400, 'missing_version', 'Notion-Version header failed validation.');
    }
    return jsonAnswer(200, { object: 'user', id: BOT_ID, type: 'bot', bot: {} });
  }

  function route(request: StandInRequest): StandInAnswer {
    const { method, path } = request;
    if (method === 'GET' && path === '/v1/oauth/authorize') return authorize(request);
    if (method === 'POST' && path === '/v1/oauth/token') return token(request);
    if (method === 'POST' && path === '/v1/oauth/revoke') return revoke(request);
    if (method === 'GET' && path === '/v1/users/me') return me(request);
    return apiError(400, 'invalid_request_url', 'Invalid request URL.');
  }

  const server = await startStandInServer(route);
  const accessTokens = () => [...live].filter((value) => value.startsWith('ntn_'));
  return {
    ...server,
    clientId,
    clientSecret,
    workspaceId: WORKSPACE_ID,
    expireAccessTokens: () => {
      for (const value of accessTokens()) live.delete(value);
    },
    isLive: (value) => live.has(value),
  };
}
