import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { SDK_ERROR_CODES } from './sdk-error-codes';

const README = new URL('../../README.md', import.meta.url);

it('the README lists exactly the codes the SDK raises itself', () => {
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf('### Codes of the SDK');
  expect(start, 'README section "### Codes of the SDK"').toBeGreaterThan(-1);
  const rest = text.slice(start + 1);
  const end = rest.search(/\n#{1,3} /);
  const section = end === -1 ? rest : rest.slice(0, end);
  const documented = [...section.matchAll(/^\|\s*`([a-z0-9_]+)`\s*\|/gm)].map((m) => m[1]);
  expect(documented.sort()).toEqual(Object.keys(SDK_ERROR_CODES).sort());
});
