import { describe, expect, it } from 'vitest';
import type { StoredConnector } from '../store';
import { changesConnectionSettings, voidsConnections } from './connector-changes';
import type { AuthSettings, StoredPerUserConfig } from './connector-schema';

const CONFIG: StoredPerUserConfig = {
  authorizationUrl: 'https://id.example/authorize',
  tokenUrl: 'https://id.example/token',
  scope: 'openid read',
  clientId: 'client-1',
  apiBaseUrl: 'https://api.example/',
};

function perUser(config: Partial<StoredPerUserConfig> = {}): StoredConnector {
  return {
    id: 'c1',
    name: 'Example',
    provider: 'custom',
    sealedSecrets: 'sealed',
    configVersion: 1,
    createdAt: 0,
    updatedAt: 0,
    authMode: 'per-user',
    config: { ...CONFIG, ...config },
  };
}

/** The two rules for one edit: [void flows under way, void connections]. */
function effectsOf(current: StoredConnector, next: Partial<StoredPerUserConfig>) {
  const settings: AuthSettings = { authMode: 'per-user', config: { ...CONFIG, ...next } };
  return [changesConnectionSettings(current, settings), voidsConnections(current, settings)];
}

const PRESET = { inputs: { tenant: 'contoso' }, scope: 'User.Read' };

describe('what a connector edit voids', () => {
  it('keeps flows and connections when only connection-neutral fields change', () => {
    expect(effectsOf(perUser(), { keepAlive: true, refreshTokenIdleDays: 90 })).toEqual([
      false,
      false,
    ]);
    expect(effectsOf(perUser({ keepAlive: true }), {})).toEqual([false, false]);
  });

  it('voids flows under way, not connections, when only the scopes change', () => {
    expect(effectsOf(perUser(), { scope: 'openid read write' })).toEqual([true, false]);
    expect(effectsOf(perUser({ preset: PRESET }), { preset: { ...PRESET, scope: '' } })).toEqual([
      true,
      false,
    ]);
  });

  it('voids both when anything else changes', () => {
    expect(effectsOf(perUser(), { tokenUrl: 'https://id.example/token2' })).toEqual([true, true]);
    const moved = { preset: { ...PRESET, inputs: { tenant: 'fabrikam' } } };
    expect(effectsOf(perUser({ preset: PRESET }), moved)).toEqual([true, true]);
    const shared: AuthSettings = {
      authMode: 'shared',
      config: {
        credentialType: 'api_key_header',
        headerName: 'x-api-key',
        apiBaseUrl: CONFIG.apiBaseUrl,
      },
    };
    expect([
      changesConnectionSettings(perUser(), shared),
      voidsConnections(perUser(), shared),
    ]).toEqual([true, true]);
  });
});
