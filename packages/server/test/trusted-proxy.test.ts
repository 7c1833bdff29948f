import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrustedProxies } from '../src/config';
import { type NginxProxy, startNginxProxy } from './support/nginx-proxy';
import { listenOnLoopback, type RawResponse, rawRequest } from './support/raw-http';
import { ADMIN_PASSWORD, startTestService, type TestService } from './support/test-service';

const LIMIT_PER_ADDRESS = 3;
const ATTACKER = '127.0.0.2';
const OTHER_CLIENT = '127.0.0.3';

/** A login through nginx from `from`, claiming to be `claimed` in its own X-Forwarded-For. */
async function loginThrough(
  proxy: NginxProxy,
  from: string,
  claimed: string,
  credentials: { username: string; password: string },
): Promise<RawResponse> {
  const body = Buffer.from(JSON.stringify(credentials));
  return rawRequest(proxy.port, {
    method: 'POST',
    path: '/api/auth/login',
    localAddress: from,
    headers: {
      'content-type': 'application/json',
      'content-length': String(body.length),
      'x-forwarded-for': claimed,
    },
    body,
  });
}

const guess = (i: number) => ({ username: `guess-${i}`, password: 'wrong-password-guess' });
const madeUp = (i: number) => `203.0.113.${i + 1}`;

/** Latchkey listening on loopback with these proxy settings, a real nginx in front of it. */
function behindNginx(env: Record<string, string>, overrides: { trustProxy?: TrustedProxies }) {
  const scene = {} as { service: TestService; proxy: NginxProxy };
  beforeAll(async () => {
    scene.service = await startTestService(
      {
        LATCHKEY_LOGIN_LIMIT_PER_ADDRESS: String(LIMIT_PER_ADDRESS),
        LATCHKEY_LOGIN_LIMIT_PER_ACCOUNT: '1000',
        LATCHKEY_LOGIN_LIMIT_WINDOW_SECONDS: '600',
        ...env,
      },
      undefined,
      { overrides },
    );
    scene.proxy = await startNginxProxy(await listenOnLoopback(scene.service));
  });
  afterAll(async () => {
    await scene.proxy?.stop();
    await scene.service?.stop();
  });
  return scene;
}

describe.each([
  ['the proxy address', '127.0.0.1'],
  ['a hop count', '1'],
])('behind nginx with LATCHKEY_TRUST_PROXY as %s', (_form, trustProxy) => {
  const scene = behindNginx({ LATCHKEY_TRUST_PROXY: trustProxy }, {});

  it('limits a client by the address it connects from, whatever X-Forwarded-For it sends', async () => {
    for (let i = 0; i < LIMIT_PER_ADDRESS; i += 1) {
      const response = await loginThrough(scene.proxy, ATTACKER, madeUp(i), guess(i));
      expect(response.headers.server).toMatch(/^nginx/);
      expect(response.status).toBe(401);
      expect(JSON.parse(response.body).error.code).toBe('invalid_credentials');
    }
    const limited = await loginThrough(scene.proxy, ATTACKER, madeUp(99), {
      username: 'admin',
      password: ADMIN_PASSWORD,
    });
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.body).error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['set-cookie']).toBeUndefined();
  });

  it('leaves a client on another address alone, even one claiming the limited address', async () => {
    const response = await loginThrough(scene.proxy, OTHER_CLIENT, ATTACKER, {
      username: 'admin',
      password: ADMIN_PASSWORD,
    });
    expect(response.status).toBe(200);
    expect(response.headers['set-cookie']).toBeDefined();
  });
});

describe('behind nginx with the boolean trust LATCHKEY_TRUST_PROXY=true used to give', () => {
  // config.ts refuses `true` now; the test sets Fastify's option as the old code did, to show
  // what that did and that nginx really passes the client's own entries on.
  const scene = behindNginx({}, { trustProxy: true as unknown as TrustedProxies });

  it('let every request claim a new address and never be limited', async () => {
    for (let i = 0; i < LIMIT_PER_ADDRESS + 2; i += 1) {
      const response = await loginThrough(scene.proxy, ATTACKER, madeUp(i), guess(i));
      expect(response.status).toBe(401);
    }
  });
});
