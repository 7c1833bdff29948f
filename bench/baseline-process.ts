import { createDecipheriv } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyReply } from 'fastify';
import { type Dispatcher, Pool } from 'undici';
import { openBaselineTokens } from './baseline-tokens';
import { serveParent } from './parent-channel';
import { type AuditedCall, postgresAudit, proxyGuarantees, sqliteAudit } from './proxy-guarantees';
import { GUARDED_VARIANTS, STORED_TOKEN_PREFIX } from './request-mix';

/**
 * The practical limits, without any Latchkey code: a bare Fastify app with the same URLs.
 * `_token` reads one row by primary key and decrypts it (AES-256-GCM, node:crypto);
 * `proxy/*` forwards to the upstream over a keep-alive undici Pool, no auth, no storage;
 * `/stored/…/proxy/*` forwards the same way with the token read and decrypted like `_token`;
 * `/guarded/…/proxy/*` does that with the guarantees of `proxy-guarantees.ts` kept as well
 * (and `GUARDED_VARIANTS`' other prefixes with part of them).
 * The tokens come from SQLite or PostgreSQL (`baseline-tokens.ts`).
 */
const upstreamUrl = required('BENCH_UPSTREAM_URL');
const [keyId, keyBase64] = required('LATCHKEY_ENCRYPTION_KEYS').split(':') as [string, string];
const key = Buffer.from(keyBase64, 'base64');

const tokens = openBaselineTokens(process.env);
const guarantees = proxyGuarantees(
  required('BENCH_API_KEY'),
  process.env.BENCH_BASELINE_POSTGRES_URL
    ? await postgresAudit(process.env.BENCH_BASELINE_POSTGRES_URL)
    : await sqliteAudit(required('BENCH_BASELINE_AUDIT_DB')),
);
const upstream = new Pool(upstreamUrl, { connections: 128 });

const PROXY_MARKER = '/proxy/';
const app = Fastify();

app.get<{ Params: { id: string } }>('/api/connectors/:id/_token', async (request, reply) => {
  const token = await storedToken(request.params.id, String(request.headers['x-latchkey-user']));
  if (!token) return reply.status(404).send({ error: 'not_connected' });
  reply.header('cache-control', 'no-store');
  return {
    accessToken: token.accessToken,
    tokenType: token.tokenType,
    expiresAt: token.expiresAt === null ? null : new Date(token.expiresAt).toISOString(),
  };
});

app.get('/api/connectors/:id/proxy/*', async (request, reply) =>
  forward(request.url, 'baseline', reply),
);

/** The same forwarder, with the caller's token read and decrypted from the table first. */
app.get<{ Params: { id: string } }>(
  `${STORED_TOKEN_PREFIX}/api/connectors/:id/proxy/*`,
  async (request, reply) => {
    const token = await storedToken(request.params.id, String(request.headers['x-latchkey-user']));
    if (!token) return reply.status(404).send({ error: 'not_connected' });
    return forward(request.url, token.accessToken, reply);
  },
);

/**
 * The token-reading forwarder, keeping the guarantees any proxy of per-user tokens owes (the
 * guarded forwarder), and its versions with part of them.
 */
for (const { prefix, apiKey, securityHeaders, audit } of Object.values(GUARDED_VARIANTS)) {
  app.get<{ Params: { id: string } }>(
    `${prefix}/api/connectors/:id/proxy/*`,
    async (request, reply) => {
      if (securityHeaders) reply.headers(guarantees.securityHeaders);
      const apiKeyId = apiKey ? guarantees.apiKeyId(request.headers.authorization) : 'unchecked';
      if (!apiKeyId) return reply.status(401).send({ error: 'api_key_invalid' });
      const userId = String(request.headers['x-latchkey-user']);
      const token = await storedToken(request.params.id, userId);
      if (!token) return reply.status(404).send({ error: 'not_connected' });
      const response = await callUpstream(request.url, token.accessToken);
      const event = {
        apiKeyId,
        connectorId: request.params.id,
        userId,
        status: response.statusCode,
      };
      // Audited before the answer starts, as Latchkey audits.
      if (audit === 'before') await auditOrLetGo(event, response);
      const sent = answer(reply, response);
      if (audit === 'after') await guarantees.audit.append(event);
      return sent;
    },
  );
}

/** An answer that will not be sent must not hold its pooled connection (as in Latchkey). */
async function auditOrLetGo(event: AuditedCall, response: Dispatcher.ResponseData) {
  try {
    await guarantees.audit.append(event);
  } catch (error) {
    response.body.destroy();
    throw error;
  }
}

async function forward(url: string, accessToken: string, reply: FastifyReply) {
  return answer(reply, await callUpstream(url, accessToken));
}

function callUpstream(url: string, accessToken: string) {
  return upstream.request({
    method: 'GET',
    path: `/v1/${url.slice(url.indexOf(PROXY_MARKER) + PROXY_MARKER.length)}`,
    headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
  });
}

function answer(reply: FastifyReply, response: Dispatcher.ResponseData) {
  const contentType = response.headers['content-type'];
  if (typeof contentType === 'string') reply.header('content-type', contentType);
  return reply.status(response.statusCode).send(response.body);
}

/** One row by primary key, decrypted: what any service that stores tokens must do. */
async function storedToken(connectorId: string, userId: string) {
  const row = await tokens.find(connectorId, userId);
  if (!row) return undefined;
  const credentials = JSON.parse(decrypt(row.credentials, row.id));
  return {
    accessToken: credentials.accessToken as string,
    tokenType: credentials.tokenType as string,
    expiresAt: row.expires_at,
  };
}

/** The vault's sealed form `lk1.<keyId>.<iv>.<ciphertext>.<tag>`, with the same AAD. */
function decrypt(sealed: string, rowId: string): string {
  const [format, sealedKeyId, iv, ciphertext, tag] = sealed.split('.') as string[];
  if (format !== 'lk1' || sealedKeyId !== keyId) throw new Error('unknown key');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv as string, 'base64url'), {
    authTagLength: 16,
  });
  decipher.setAAD(
    Buffer.from(JSON.stringify([format, keyId, 'connections', 'credentials', rowId])),
  );
  decipher.setAuthTag(Buffer.from(tag as string, 'base64url'));
  const plain = Buffer.concat([
    decipher.update(Buffer.from(ciphertext as string, 'base64url')),
    decipher.final(),
  ]);
  return plain.toString('utf8');
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

await app.listen({ port: 0, host: '127.0.0.1' });
const { port } = app.server.address() as AddressInfo;
serveParent(`http://127.0.0.1:${port}`, {
  stop: async () => {
    await app.close();
    await upstream.close();
    await tokens.close();
    await guarantees.audit.close();
  },
});
