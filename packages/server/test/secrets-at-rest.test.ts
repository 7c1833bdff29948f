import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { perUserConnectorBody, sharedConnectorBody } from './support/connector-bodies';
import { storedBytes } from './support/stored-bytes';
import { ADMIN_PASSWORD, startTestService, type TestService } from './support/test-service';

/** Distinctive values: any of them found on disk or in a log line is a leak. */
const SECRETS = {
  editorPassword: 'editor-pw-Zq81-distinctive',
  viewerPassword: 'viewer-pw-Kx27-distinctive',
  changedPassword: 'changed-pw-Lm44-distinctive',
  wrongPassword: 'wrong-guess-Pj90-distinctive',
  clientSecret: 'client-secret-Ab12-distinctive',
  replacedClientSecret: 'client-secret-Cd34-replaced',
  sharedToken: 'shared-token-Ef56-distinctive',
  sharedApiKey: 'shared-api-key-Gh78-distinctive',
  sharedClientSecret: 'shared-client-secret-Ij90',
};

describe('secrets at rest and in logs', () => {
  let service: TestService;
  let admin: string;
  const sessionCookies: string[] = [];

  const post = async (url: string, body: unknown, method: 'POST' | 'PUT' | 'PATCH' = 'POST') => {
    const response = await service.request({ method, url, cookie: admin, body });
    expect(response.statusCode, response.body).toBeLessThan(300);
    for (const secret of Object.values(SECRETS)) expect(response.body).not.toContain(secret);
    return response.json();
  };

  beforeAll(async () => {
    service = await startTestService({ LATCHKEY_LOG_LEVEL: 'trace' });
    admin = await service.login('admin', ADMIN_PASSWORD);
    sessionCookies.push(admin);
    const editor = await post('/api/users', {
      username: 'ed',
      password: SECRETS.editorPassword,
      role: 'editor',
    });
    await post('/api/users', { username: 'vi', password: SECRETS.viewerPassword, role: 'viewer' });
    await post(`/api/users/${editor.id}`, { password: SECRETS.changedPassword }, 'PATCH');
    sessionCookies.push(await service.login('vi', SECRETS.viewerPassword));
    await service.request({
      method: 'POST',
      url: '/api/auth/login',
      body: { username: 'vi', password: SECRETS.wrongPassword },
    });

    const perUser = await post(
      '/api/connectors',
      perUserConnectorBody({ secrets: { clientSecret: SECRETS.clientSecret } }),
    );
    await post(
      '/api/connectors',
      perUserConnectorBody({ secrets: { clientSecret: SECRETS.clientSecret } }),
    );
    await post(
      `/api/connectors/${perUser.id}`,
      perUserConnectorBody({
        name: perUser.name,
        secrets: { clientSecret: SECRETS.replacedClientSecret },
      }),
      'PUT',
    );
    await post('/api/connectors', sharedConnectorBody({ secrets: { token: SECRETS.sharedToken } }));
    await post(
      '/api/connectors',
      sharedConnectorBody({
        config: {
          credentialType: 'api_key_header',
          headerName: 'X-Api-Key',
          apiBaseUrl: 'https://api.example.com/',
        },
        secrets: { apiKey: SECRETS.sharedApiKey },
      }),
    );
    await post(
      '/api/connectors',
      sharedConnectorBody({
        config: {
          credentialType: 'client_credentials',
          tokenUrl: 'https://auth.example.com/token',
          clientId: 'machine-client',
          apiBaseUrl: 'https://api.example.com/',
        },
        secrets: { clientSecret: SECRETS.sharedClientSecret },
      }),
    );
    await service.request({ method: 'GET', url: '/api/connectors', cookie: sessionCookies[1] });
  });
  // Also after the last test's stop that kept the data: this one removes it, database included.
  afterAll(() => service.stop());

  const leaksIn = (where: string, text: Buffer | string) => [
    ...Object.entries({ ...SECRETS, adminPassword: ADMIN_PASSWORD })
      .filter(([, secret]) => text.includes(secret))
      .map(([name]) => `${name} in ${where}`),
    ...sessionCookies
      .map((cookie) => cookie.split('=')[1] as string)
      .filter((value) => text.includes(value))
      .map(() => `a session id in ${where}`),
  ];

  it('stored every secret sealed: the ciphertexts are there, the plaintexts are not', async () => {
    const files = await storedBytes(service);
    if (service.database.dialect === 'sqlite') {
      expect(files.map((f) => f.name)).toContain(`${service.databaseFile}-wal`);
    }
    expect(files.some((f) => f.bytes.includes('lk1.ka.'))).toBe(true);
    expect(files.flatMap((f) => leaksIn(f.name, f.bytes))).toEqual([]);
  });

  it('logged the work (so the check below looks at real lines) but no secret', () => {
    const logs = service.logs();
    expect(logs).toContain('connector created');
    expect(logs).toContain('user logged in');
    expect(logs.split('\n').length).toBeGreaterThan(20);
    expect(leaksIn('the logs', logs)).toEqual([]);
  });

  it('holds no secret in the database files after a clean shutdown either', async () => {
    await service.stop({ keepData: true });
    const files = await storedBytes(service);
    expect(files.length).toBeGreaterThan(0);
    expect(files.flatMap((f) => leaksIn(f.name, f.bytes))).toEqual([]);
  });
});
