import { ADMIN_PASSWORD, type TestService } from './test-service';

/** One admin session per service: logging in runs scrypt, which is slow on purpose. */
const adminCookies = new WeakMap<TestService, string>();

/** Creates an API key as admin and returns the key (shown once). */
export async function createApiKey(
  service: TestService,
  permissions: string[],
  name = `key-${permissions.join('-')}`,
): Promise<{ key: string; id: string }> {
  const create = (cookie: string) =>
    service.request({
      method: 'POST',
      url: '/api/api_keys',
      cookie,
      body: { name, permissions },
    });
  let response = await create(adminCookies.get(service) ?? '');
  if (response.statusCode === 401) {
    const cookie = await service.login('admin', ADMIN_PASSWORD);
    adminCookies.set(service, cookie);
    response = await create(cookie);
  }
  if (response.statusCode !== 201) throw new Error(`key not created: ${response.body}`);
  return { key: response.json().key, id: response.json().id };
}
