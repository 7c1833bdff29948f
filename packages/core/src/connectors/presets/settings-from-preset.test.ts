import { type InputKind, loadCatalog } from '@latchkey/catalog';
import { describe, expect, it } from 'vitest';
import type { EndpointPolicy } from '../endpoint-policy';
import { settingsFromPreset } from './settings-from-preset';

const POLICY: EndpointPolicy = { allowHttpLoopback: false, refusedHostRange: () => undefined };
const SAMPLE: Record<InputKind, string> = {
  host: 'example.com',
  subdomain: 'acme',
  segment: 'common',
  url: 'https://idp.example.com',
};

const catalog = loadCatalog();
const cases = catalog
  .list()
  .flatMap((provider) => provider.authModes.map((authMode) => ({ provider, authMode })));

describe('every shipped preset', () => {
  it.each(cases)(
    '$provider.id makes a $authMode connector from its inputs',
    ({ provider, authMode }) => {
      const inputs = Object.fromEntries(
        provider.inputs.map((input) => [input.name, input.example ?? SAMPLE[input.kind]]),
      );
      const settings = settingsFromPreset(
        catalog,
        {
          name: provider.name,
          provider: provider.id,
          authMode,
          config: { clientId: 'c', ...inputs },
        },
        POLICY,
      );
      expect(settings.authMode).toBe(authMode);
      const urls = Object.entries(settings.config).filter(([key]) => key.endsWith('Url'));
      for (const [, url] of urls) expect(String(url)).toMatch(/^(https:\/\/|\{)/);
      if (settings.authMode === 'per-user') expect(settings.config.preset?.inputs).toEqual(inputs);
    },
  );
});
