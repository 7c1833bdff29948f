import { sha256 } from '@latchkey/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import { queryDatabase } from './support/database-queries';
import { sessionsFor } from './support/oauth-harness';
import { storedBytes } from './support/stored-bytes';
import { ADMIN_PASSWORD, startTestService, type TestService } from './support/test-service';

describe('API key administration', () => {
  let service: TestService;
  let admin: string;
  let editor: string;
  let viewer: string;

  beforeAll(async () => {
    service = await startTestService();
    admin = await service.login('admin', ADMIN_PASSWORD);
    [editor, viewer] = (await sessionsFor(service, 'editor', 'viewer')).map((s) => s.cookie);
  });
  afterAll(() => service.stop());

  const listKeys = async () =>
    (
      (await service.request({ method: 'GET', url: '/api/api_keys', cookie: admin })).json()
        .apiKeys as { id: string; name: string; revokedAt: string | null }[]
    ).map(({ id, name, revokedAt }) => ({ id, name, revokedAt }));

  it('is for admins only: editors, viewers, keys and strangers create, list and revoke nothing', async () => {
    const { key, id } = await createApiKey(service, ['proxy'], 'target');
    const before = await listKeys();
    const body = { name: 'sneaky', permissions: ['proxy', 'tokens:read', 'on_behalf'] };
    const callers: Record<string, { cookie?: string; headers?: Record<string, string> }> = {
      editor: { cookie: editor },
      viewer: { cookie: viewer },
      'API key': { headers: { authorization: `ApiKey ${key}` } },
      nobody: {},
    };
    const outcomes: Record<string, number[]> = {};
    for (const [name, caller] of Object.entries(callers)) {
      outcomes[name] = [
        (await service.request({ method: 'POST', url: '/api/api_keys', body, ...caller }))
          .statusCode,
        (await service.request({ method: 'GET', url: '/api/api_keys', ...caller })).statusCode,
        (await service.request({ method: 'DELETE', url: `/api/api_keys/${id}`, ...caller }))
          .statusCode,
      ];
    }
    expect(outcomes).toEqual({
      editor: [403, 403, 403],
      viewer: [403, 403, 403],
      'API key': [401, 401, 401],
      nobody: [401, 401, 401],
    });
    expect(await listKeys()).toEqual(before);
  });

  it('shows the key once; the list never shows the key or its hash', async () => {
    const created = await service.request({
      method: 'POST',
      url: '/api/api_keys',
      cookie: admin,
      body: { name: 'shown once', permissions: ['proxy', 'proxy'] },
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const { key, id, permissions } = created.json();
    expect(key).toMatch(/^lk_[A-Za-z0-9_-]{43}$/);
    expect(permissions).toEqual(['proxy']);

    const list = await service.request({ method: 'GET', url: '/api/api_keys', cookie: admin });
    const listed = list.json().apiKeys.find((k: { id: string }) => k.id === id);
    expect(Object.keys(listed).sort()).toEqual(
      ['createdAt', 'id', 'lastUsedAt', 'name', 'permissions', 'revokedAt'].sort(),
    );
    expect(list.body).not.toContain(key);
    expect(list.body).not.toContain(sha256(key));
  });

  it('stores only the hash: the key is nowhere in the database files', async () => {
    const { key, id } = await createApiKey(service, ['tokens:read', 'on_behalf'], 'hashed');
    // Use it once, so last-use bookkeeping has written to the row too.
    await service.request({
      method: 'GET',
      url: '/api/connectors',
      headers: { authorization: `ApiKey ${key}` },
    });
    const [row] = await queryDatabase<Record<string, unknown>>(
      service,
      'select * from api_keys where id = ?',
      id,
    );
    expect(row?.key_hash).toBe(sha256(key));
    expect(JSON.stringify(row)).not.toContain(key);
    for (const { name, bytes } of await storedBytes(service)) {
      expect(bytes.includes(Buffer.from(key)), name).toBe(false);
    }
  });

  it('revokes: the key stops working at once, the list says when', async () => {
    const { key, id } = await createApiKey(service, ['tokens:read'], 'to revoke');
    const use = () =>
      service.request({
        method: 'GET',
        url: '/api/connectors/anything/_token',
        headers: { authorization: `ApiKey ${key}` },
      });
    expect((await use()).json().error.code).not.toBe('invalid_api_key');
    const revoked = await service.request({
      method: 'DELETE',
      url: `/api/api_keys/${id}`,
      cookie: admin,
    });
    expect(revoked.statusCode).toBe(204);
    const after = await use();
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('invalid_api_key');
    expect((await listKeys()).find((k) => k.id === id)?.revokedAt).toEqual(expect.any(String));
    const again = await service.request({
      method: 'DELETE',
      url: '/api/api_keys/no-such-key',
      cookie: admin,
    });
    expect(again.json().error.code).toBe('api_key_not_found');
  });

  it('refuses unknown permissions and empty names with 400', async () => {
    for (const body of [
      { name: 'x', permissions: ['admin'] },
      { name: 'x', permissions: [] },
      { name: ' ', permissions: ['proxy'] },
    ]) {
      const response = await service.request({
        method: 'POST',
        url: '/api/api_keys',
        cookie: admin,
        body,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('validation_failed');
    }
  });
});
