// @vitest-environment jsdom
import { EuiProvider } from '@elastic/eui';
import type { ConnectorView, ProviderList, ProviderView } from '@latchkey/core';
import {
  cleanup,
  configure,
  fireEvent,
  render,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  connectorView,
  createFakeService,
  type FakeService,
  jsonResponse,
} from '../../../../sdk/src/test-support/fake-service';
import { ConnectorFlyout } from './connector-flyout';

// EUI's convention for test ids.
configure({ testIdAttribute: 'data-test-subj' });

const REDIRECT_URI = 'https://latchkey.example/api/connectors/_oauth_callback';

const GITHUB: ProviderView = {
  id: 'github',
  name: 'GitHub',
  authModes: ['per-user'],
  inputs: [
    {
      name: 'host',
      label: 'GitHub host',
      kind: 'host',
      description: 'github.com, or your GitHub Enterprise Server.',
      example: 'github.example.com',
      default: 'github.com',
    },
  ],
  scopes: { default: ['read:user'], required: [], separator: ' ' },
  clientAuth: 'client_secret_basic',
  docs: {
    oauth: 'https://docs.github.com/en/apps/oauth-apps',
    console: 'https://github.com/settings/developers',
  },
  lastVerified: '2026-12-04',
};

const MICROSOFT: ProviderView = {
  id: 'microsoft-graph',
  name: 'Microsoft Graph',
  authModes: ['per-user'],
  inputs: [
    { name: 'tenant', label: 'Tenant', kind: 'segment', example: 'contoso.onmicrosoft.com' },
  ],
  scopes: { default: ['User.Read'], required: ['offline_access'], separator: ' ' },
  // A public client: no secret to ask for.
  clientAuth: 'none',
  docs: {
    oauth: 'https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow',
  },
  lastVerified: '2026-12-04',
};

/** A preset for shared connectors only, which the per-user form cannot make. */
const SHARED_ONLY: ProviderView = {
  ...GITHUB,
  id: 'stripe',
  name: 'Stripe',
  authModes: ['shared'],
};

const LIST: ProviderList = {
  redirectUri: REDIRECT_URI,
  providers: [GITHUB, MICROSOFT, SHARED_ONLY],
};

let service: FakeService;

beforeEach(() => {
  service = createFakeService();
  service.on('GET', '/api/providers', () => jsonResponse(200, LIST));
  vi.stubGlobal('fetch', service.fetch);
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function open(connector?: ConnectorView) {
  const onSaved = vi.fn();
  render(
    <EuiProvider colorMode="light">
      <ConnectorFlyout connector={connector} onClose={() => {}} onSaved={onSaved} />
    </EuiProvider>,
  );
  return { onSaved, flyout: () => within(screen.getByRole('dialog')) };
}

/** The options shown, by provider id (EUI's test ids). */
const optionIds = () =>
  screen
    .queryAllByRole('option')
    .map((o) => o.getAttribute('data-test-subj')?.replace('provider-option-', ''));

async function pick(name: string | RegExp) {
  fireEvent.click(await screen.findByRole('option', { name }));
}

describe('the provider picker', () => {
  it('offers the custom connector first, then the per-user presets, and searches by name or id', async () => {
    open();
    await waitFor(() => expect(optionIds()).toEqual(['custom', 'github', 'microsoft-graph']));
    const search = screen.getByLabelText('Search providers');
    fireEvent.change(search, { target: { value: 'micro' } });
    expect(optionIds()).toEqual(['microsoft-graph']);
    fireEvent.change(search, { target: { value: 'microsoft-graph' } });
    expect(optionIds()).toEqual(['microsoft-graph']);
    fireEvent.change(search, { target: { value: 'hub' } });
    expect(optionIds()).toEqual(['github']);
  });

  it('leads to the full form for a custom connector', async () => {
    open();
    await pick(/Custom OAuth 2\.0/);
    expect(screen.getByRole('heading', { name: 'Create a custom connector' })).toBeTruthy();
    expect(screen.getByLabelText('Authorization URL')).toBeTruthy();
    expect(screen.getByLabelText('API base URL')).toBeTruthy();
  });

  it('still offers the custom connector when the presets do not load', async () => {
    service.on('GET', '/api/providers', () =>
      jsonResponse(503, { error: { code: 'internal_error', message: 'Catalog down.' } }),
    );
    open();
    await screen.findByText('The provider presets did not load');
    expect(optionIds()).toEqual(['custom']);
  });
});

describe('the preset form', () => {
  it('asks only for what the preset needs, with its defaults, hints and examples', async () => {
    const { flyout } = open();
    await pick(/GitHub/);
    const form = flyout();
    expect(screen.getByRole('heading', { name: 'Create a GitHub connector' })).toBeTruthy();
    expect(form.getByLabelText<HTMLInputElement>('Name').value).toBe('GitHub');
    const host = form.getByLabelText<HTMLInputElement>('GitHub host');
    expect(host.value).toBe('github.com');
    expect(host.placeholder).toBe('github.example.com');
    expect(form.getByText(/Enterprise Server\. A host name, with a port/)).toBeTruthy();
    expect(form.getByLabelText('Client ID')).toBeTruthy();
    expect(form.getByLabelText('Client secret', { exact: true })).toBeTruthy();
    expect(form.getByLabelText<HTMLInputElement>('Scopes').placeholder).toBe('read:user');
    expect(form.queryByLabelText('Authorization URL')).toBeNull();
    expect(form.queryByLabelText('Token URL')).toBeNull();
    expect(form.getByLabelText<HTMLInputElement>('Redirect URI').value).toBe(REDIRECT_URI);
    expect(form.getByRole('link', { name: /GitHub console/ }).getAttribute('href')).toBe(
      GITHUB.docs.console,
    );
    expect(form.getByRole('link', { name: /OAuth documentation/ }).getAttribute('href')).toBe(
      GITHUB.docs.oauth,
    );
  });

  it('asks no secret of a public client and says which scopes are always added', async () => {
    const { flyout } = open();
    await pick(/Microsoft Graph/);
    const form = flyout();
    expect(form.queryByLabelText('Client secret', { exact: true })).toBeNull();
    expect(form.getByText(/Always added, as the preset needs them: offline_access\./)).toBeTruthy();
    expect(form.getByText(/One URL path segment/)).toBeTruthy();
  });

  it('copies the redirect URI to register', async () => {
    const { flyout } = open();
    await pick(/GitHub/);
    let copied: string | undefined;
    document.execCommand = vi.fn(() => {
      copied = window.getSelection()?.toString();
      return true;
    });
    fireEvent.click(flyout().getByRole('button', { name: 'Copy redirect URI' }));
    expect(copied).toBe(REDIRECT_URI);
  });

  it('sends the preset, the client and the inputs, without a secret for a public client', async () => {
    service.on('POST', '/api/connectors', () => jsonResponse(201, connectorView()));
    const { onSaved, flyout } = open();
    await pick(/Microsoft Graph/);
    const form = flyout();
    fireEvent.change(form.getByLabelText('Tenant'), { target: { value: ' contoso ' } });
    fireEvent.change(form.getByLabelText('Client ID'), { target: { value: 'app-123' } });
    fireEvent.change(form.getByLabelText('Scopes'), { target: { value: 'User.Read Mail.Read' } });
    fireEvent.click(form.getByRole('button', { name: 'Create connector' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(service.sent('POST', '/api/connectors').map((r) => r.body)).toEqual([
      {
        name: 'Microsoft Graph',
        provider: 'microsoft-graph',
        authMode: 'per-user',
        config: { clientId: 'app-123', scope: 'User.Read Mail.Read', tenant: 'contoso' },
      },
    ]);
  });

  it('sends the client secret, and leaves empty scopes to the preset', async () => {
    service.on('POST', '/api/connectors', () => jsonResponse(201, connectorView()));
    const { onSaved, flyout } = open();
    await pick(/GitHub/);
    const form = flyout();
    fireEvent.change(form.getByLabelText('Client ID'), { target: { value: 'Iv1.abc' } });
    fireEvent.change(form.getByLabelText('Client secret', { exact: true }), {
      target: { value: 'gh:secret+%' },
    });
    fireEvent.click(form.getByRole('button', { name: 'Create connector' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(service.sent('POST', '/api/connectors')[0]?.body).toEqual({
      name: 'GitHub',
      provider: 'github',
      authMode: 'per-user',
      config: { clientId: 'Iv1.abc', host: 'github.com' },
      secrets: { clientSecret: 'gh:secret+%' },
    });
  });

  it('sends keepAlive "true" for a preset connector when its switch is on', async () => {
    service.on('POST', '/api/connectors', () => jsonResponse(201, connectorView()));
    const { onSaved, flyout } = open();
    await pick(/Microsoft Graph/);
    const form = flyout();
    const keepAlive = form.getByRole('switch', { name: 'Keep connections alive' });
    expect(keepAlive.getAttribute('aria-checked')).toBe('false');
    expect(form.getByText(/before they lapse/)).toBeTruthy();
    fireEvent.change(form.getByLabelText('Tenant'), { target: { value: 'contoso' } });
    fireEvent.change(form.getByLabelText('Client ID'), { target: { value: 'app-123' } });
    fireEvent.click(keepAlive);
    fireEvent.click(form.getByRole('button', { name: 'Create connector' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(service.sent('POST', '/api/connectors')[0]?.body).toMatchObject({
      config: { clientId: 'app-123', tenant: 'contoso', keepAlive: 'true' },
    });
  });

  it('sends nothing while a needed field is empty, and says which', async () => {
    const { flyout } = open();
    await pick(/Microsoft Graph/);
    fireEvent.click(flyout().getByRole('button', { name: 'Create connector' }));
    expect(await flyout().findByText('Tenant is required')).toBeTruthy();
    expect(flyout().getByText('Client ID is required')).toBeTruthy();
    expect(service.sent('POST', '/api/connectors')).toEqual([]);
  });
});

describe('editing', () => {
  const stored = connectorView({
    id: 'gh1',
    name: 'GitHub Enterprise',
    provider: 'github',
    config: { clientId: 'Iv1.abc', host: 'github.example.com' },
    endpoints: {
      authorizationUrl: 'https://github.example.com/login/oauth/authorize',
      tokenUrl: 'https://github.example.com/login/oauth/access_token',
      apiBaseUrl: 'https://github.example.com/api/v3',
    },
  });

  it('opens a preset connector in its preset form, with where its calls go', async () => {
    const { flyout } = open(stored);
    const form = flyout();
    expect((await form.findByLabelText<HTMLInputElement>('GitHub host')).value).toBe(
      'github.example.com',
    );
    expect(screen.queryByLabelText('Search providers')).toBeNull();
    expect(form.getByLabelText('Replace client secret')).toBeTruthy();
    const endpoints = within(screen.getByTestId('connector-endpoints'));
    expect(endpoints.getByText('https://github.example.com/api/v3')).toBeTruthy();
    expect(endpoints.getByText(/proxy paths are relative to it/)).toBeTruthy();
  });

  it('keeps the stored secret on a rename, and asks for it again when an input moves', async () => {
    service.on('PUT', '/api/connectors/gh1', () => jsonResponse(200, stored));
    const { onSaved, flyout } = open(stored);
    const form = flyout();
    fireEvent.change(await form.findByLabelText('Name'), { target: { value: 'GHE' } });
    fireEvent.click(form.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
    expect(service.sent('PUT', '/api/connectors/gh1')[0]?.body).toEqual({
      name: 'GHE',
      provider: 'github',
      authMode: 'per-user',
      config: { clientId: 'Iv1.abc', host: 'github.example.com' },
    });

    fireEvent.change(form.getByLabelText('GitHub host'), { target: { value: 'evil.example' } });
    fireEvent.click(form.getByRole('button', { name: 'Save changes' }));
    expect(await form.findAllByText(/you changed GitHub host/)).toHaveLength(2);
    expect(service.sent('PUT', '/api/connectors/gh1')).toHaveLength(1);
  });

  it('shows a preset connector’s keep-alive, and turning it off leaves it out', async () => {
    const alive = { ...stored, config: { ...stored.config, keepAlive: 'true' } };
    service.on('PUT', '/api/connectors/gh1', () => jsonResponse(200, stored));
    const { onSaved, flyout } = open(alive);
    const form = flyout();
    await form.findByLabelText('GitHub host');
    const keepAlive = form.getByRole('switch', { name: 'Keep connections alive' });
    expect(keepAlive.getAttribute('aria-checked')).toBe('true');
    fireEvent.click(keepAlive);
    fireEvent.click(form.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(service.sent('PUT', '/api/connectors/gh1')[0]?.body).toEqual({
      name: 'GitHub Enterprise',
      provider: 'github',
      authMode: 'per-user',
      config: { clientId: 'Iv1.abc', host: 'github.example.com' },
    });
  });

  it('turns keep-alive on for a custom connector, keeping the rest of its config', async () => {
    const custom = connectorView({
      id: 'c1',
      config: {
        authorizationUrl: 'https://id.example/authorize',
        tokenUrl: 'https://id.example/token',
        clientId: 'demo',
        apiBaseUrl: 'https://api.id.example',
        refreshTokenIdleDays: 14,
      },
    });
    service.on('PUT', '/api/connectors/c1', () => jsonResponse(200, custom));
    const { onSaved, flyout } = open(custom);
    const form = flyout();
    const keepAlive = form.getByRole('switch', { name: 'Keep connections alive' });
    expect(keepAlive.getAttribute('aria-checked')).toBe('false');
    fireEvent.click(keepAlive);
    fireEvent.click(form.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(service.sent('PUT', '/api/connectors/c1')[0]?.body).toEqual({
      name: 'Demo',
      provider: 'custom',
      authMode: 'per-user',
      config: { ...custom.config, keepAlive: true },
    });
  });

  it('opens a custom connector in the full form without asking for the catalog', () => {
    const { flyout } = open(connectorView({ config: { tokenUrl: 'https://id.example/token' } }));
    expect(flyout().getByLabelText<HTMLInputElement>('Token URL').value).toBe(
      'https://id.example/token',
    );
    expect(service.sent('GET', '/api/providers')).toEqual([]);
  });
});
