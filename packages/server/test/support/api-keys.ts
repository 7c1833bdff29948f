import type { TestService } from './test-service';

/** Creates an API key as admin and returns the key (shown once). */
export async function createApiKey(
  service: TestService,
  permissions: string[],
  name = `key-${permissions.join('-')}`,
): Promise<{ key: string; id: string }> {
  const response = await service.asAdmin({
    method: 'POST',
    url: '/api/api_keys',
    body: { name, permissions },
  });
  if (response.statusCode !== 201) throw new Error(`key not created: ${response.body}`);
  return { key: response.json().key, id: response.json().id };
}
