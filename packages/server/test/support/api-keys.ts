import { ADMIN_PASSWORD, type TestService } from './test-service';

/** Creates an API key as admin and returns the key (shown once). */
export async function createApiKey(
  service: TestService,
  permissions: string[],
  name = `key-${permissions.join('-')}`,
): Promise<{ key: string; id: string }> {
  const admin = await service.login('admin', ADMIN_PASSWORD);
  const response = await service.request({
    method: 'POST',
    url: '/api/api_keys',
    cookie: admin,
    body: { name, permissions },
  });
  if (response.statusCode !== 201) throw new Error(`key not created: ${response.body}`);
  return { key: response.json().key, id: response.json().id };
}
