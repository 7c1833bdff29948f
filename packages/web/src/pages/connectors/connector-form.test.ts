import type { ConnectorView } from '@latchkey/core';
import { describe, expect, it } from 'vitest';
import {
  connectorInputFrom,
  initialValues,
  keepsAlive,
  secretBoundChanges,
} from './connector-form';

const CONNECTOR: ConnectorView = {
  id: 'c1',
  name: 'GitHub',
  provider: 'custom',
  authMode: 'per-user',
  config: {
    authorizationUrl: 'https://github.com/login/oauth/authorize',
    tokenUrl: 'https://github.com/login/oauth/access_token',
    scope: 'repo',
    clientId: 'abc',
    apiBaseUrl: 'https://api.github.com/',
  },
  endpoints: {
    authorizationUrl: 'https://github.com/login/oauth/authorize',
    tokenUrl: 'https://github.com/login/oauth/access_token',
    apiBaseUrl: 'https://api.github.com/',
  },
  secretsSet: ['clientSecret'],
  userAuthStatus: 'not_connected',
  connection: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const NO_CHOICES = { clientSecret: '', keepAlive: false };

describe('connectorInputFrom', () => {
  const HIDDEN_SETTINGS = {
    scopeParamName: 'user_scope',
    tokenEndpointAuthMethod: 'client_secret_post',
    authorizationParams: { access_type: 'offline' },
  };
  const stored: ConnectorView = {
    ...CONNECTOR,
    config: { ...CONNECTOR.config, ...HIDDEN_SETTINGS, revocationUrl: 'https://x.example/r' },
  };

  it('keeps the settings the form does not show, so a rename changes nothing else', () => {
    const values = { ...initialValues(stored), name: 'Renamed' };
    expect(connectorInputFrom(stored, values, NO_CHOICES)).toEqual({
      name: 'Renamed',
      provider: 'custom',
      authMode: 'per-user',
      config: stored.config,
    });
  });

  it('drops an optional field the editor cleared and sends a secret only when typed', () => {
    const values = { ...initialValues(stored), revocationUrl: ' ' };
    const input = connectorInputFrom(stored, values, { clientSecret: 's3cret', keepAlive: false });
    expect(input.config).not.toHaveProperty('revocationUrl');
    expect(input.config).toMatchObject(HIDDEN_SETTINGS);
    expect(input.secrets).toEqual({ clientSecret: 's3cret' });
  });

  it('sends keep-alive only when on, keeping the idle days the form does not show', () => {
    const alive = {
      ...stored,
      config: { ...stored.config, keepAlive: true, refreshTokenIdleDays: 90 },
    };
    const values = initialValues(alive);
    expect(keepsAlive(alive)).toBe(true);
    expect(connectorInputFrom(alive, values, NO_CHOICES).config).not.toHaveProperty('keepAlive');
    expect(connectorInputFrom(alive, values, NO_CHOICES).config).toMatchObject({
      refreshTokenIdleDays: 90,
    });
    const turnedOn = connectorInputFrom(stored, values, { clientSecret: '', keepAlive: true });
    expect(turnedOn.config).toMatchObject({ keepAlive: true });
  });
});

describe('secretBoundChanges', () => {
  it('names every endpoint or client field the edit changed, and nothing else', () => {
    const values = {
      ...initialValues(CONNECTOR),
      name: 'Renamed',
      scope: 'repo read:user',
      tokenUrl: 'https://evil.example/token',
      issuer: 'https://github.com',
      clientId: ' abc ',
    };
    expect(secretBoundChanges(CONNECTOR, values)).toEqual(['Token URL', 'Issuer']);
  });

  it('asks nothing of a new connector', () => {
    expect(secretBoundChanges(undefined, initialValues(undefined))).toEqual([]);
  });
});
