import { perUserConnectorBody } from './connector-bodies';

/**
 * A valid body for each route that takes one, keyed by `METHOD /pattern`: bad-input tests
 * derive wrong types and unknown fields from it, so each request fails on one thing only.
 * Routes not listed get `{}`.
 */
const SAMPLES: Record<string, () => Record<string, unknown>> = {
  'POST /api/auth/login': () => ({ username: 'admin', password: 'not-the-password' }),
  'POST /api/users': () => ({
    username: 'sample-user',
    password: 'sample-password-1',
    role: 'viewer',
  }),
  'PATCH /api/users/:id': () => ({ role: 'viewer', password: 'sample-password-2' }),
  'POST /api/connectors': () => perUserConnectorBody(),
  'PUT /api/connectors/:id': () => perUserConnectorBody(),
  'POST /api/connectors/:id/_start_oauth_flow': () => ({ returnUrl: 'http://localhost:5601/app' }),
  'POST /api/connectors/:id/_oauth_cancel': () => ({ state: 'sample-state' }),
  'POST /api/api_keys': () => ({ name: 'sample key', permissions: ['tokens:read'] }),
};

export function sampleBody(method: string, url: string): Record<string, unknown> {
  return SAMPLES[`${method} ${url}`]?.() ?? {};
}

/** A value of another JSON type than `value`. */
function wrongTypeFor(value: unknown): unknown {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return 'not-a-number';
  if (typeof value === 'boolean') return 'yes';
  if (Array.isArray(value)) return { not: 'an array' };
  return 'not-an-object';
}

/** One body per field (nested objects too) with that field alone of the wrong type. */
export function wrongTypeVariants(sample: Record<string, unknown>, path = ''): [string, unknown][] {
  return Object.entries(sample).flatMap(([key, value]) => {
    const here = `${path}${key}`;
    const own: [string, unknown] = [here, { ...sample, [key]: wrongTypeFor(value) }];
    if (!value || typeof value !== 'object' || Array.isArray(value)) return [own];
    const nested = wrongTypeVariants(value as Record<string, unknown>, `${here}.`).map(
      ([nestedPath, nestedValue]): [string, unknown] => [
        nestedPath,
        { ...sample, [key]: nestedValue },
      ],
    );
    return [own, ...nested];
  });
}

/** The sample with an unknown field added at the top and inside each nested object. */
export function unknownFieldVariants(sample: Record<string, unknown>): [string, unknown][] {
  const variants: [string, unknown][] = [['(top level)', { ...sample, unexpectedField: true }]];
  for (const [key, value] of Object.entries(sample)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      variants.push([key, { ...sample, [key]: { ...value, unexpectedField: true } }]);
    }
  }
  return variants;
}
