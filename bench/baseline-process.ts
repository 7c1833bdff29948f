import { createDecipheriv } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { Pool } from 'undici';
import { SQLITE_PRAGMAS } from '../packages/store/src/dialects/sqlite';
import { serveParent } from './parent-channel';

/**
 * The practical limits, without any Latchkey code: a bare Fastify app with the same URLs.
 * `_token` reads one row by primary key and decrypts it (AES-256-GCM, node:crypto);
 * `proxy/*` forwards to the upstream over a keep-alive undici Pool, no auth, no storage.
 */
const databaseFile = required('BENCH_BASELINE_DB');
const upstreamUrl = required('BENCH_UPSTREAM_URL');
const [keyId, keyBase64] = required('LATCHKEY_ENCRYPTION_KEYS').split(':') as [string, string];
const key = Buffer.from(keyBase64, 'base64');

const db = new Database(databaseFile, { readonly: true });
for (const pragma of SQLITE_PRAGMAS) db.pragma(pragma);
const selectToken = db.prepare<
  [string, string],
  { id: string; credentials: string; expires_at: number | null }
>('select id, credentials, expires_at from tokens where connector_id = ? and user_id = ?');
const upstream = new Pool(upstreamUrl, { connections: 128 });

const PROXY_MARKER = '/proxy/';
const app = Fastify();

app.get<{ Params: { id: string } }>('/api/connectors/:id/_token', async (request, reply) => {
  const userId = String(request.headers['x-latchkey-user']);
  const row = selectToken.get(request.params.id, userId);
  if (!row) return reply.status(404).send({ error: 'not_connected' });
  const credentials = JSON.parse(decrypt(row.credentials, row.id));
  reply.header('cache-control', 'no-store');
  return {
    accessToken: credentials.accessToken,
    tokenType: credentials.tokenType,
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at).toISOString(),
  };
});

app.get('/api/connectors/:id/proxy/*', async (request, reply) => {
  const response = await upstream.request({
    method: 'GET',
    path: `/v1/${request.url.slice(request.url.indexOf(PROXY_MARKER) + PROXY_MARKER.length)}`,
    headers: { authorization: 'Bearer baseline', accept: 'application/json' },
  });
  const contentType = response.headers['content-type'];
  if (typeof contentType === 'string') reply.header('content-type', contentType);
  return reply.status(response.statusCode).send(response.body);
});

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
    db.close();
  },
});
