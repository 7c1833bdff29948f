import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig, VARIABLE_NAMES } from './config';

const DOC_PATH = new URL('../../../docs/configuration.md', import.meta.url);

interface DocumentedVariable {
  name: string;
  /** The literal default when the Default cell is exactly one `code` span. */
  literalDefault: string | undefined;
}

/** Rows of the variables table: `| \`LATCHKEY_…\` | default | allowed values | meaning |`. */
function documentedVariables(markdown: string): DocumentedVariable[] {
  return markdown
    .split('\n')
    .map((line) => /^\|\s*`(LATCHKEY_[A-Z0-9_]+)`\s*\|([^|]*)\|/.exec(line))
    .filter((match) => match !== null)
    .map(([, name, defaultCell]) => ({
      name: name as string,
      literalDefault: /^\s*`([^`]*)`\s*$/.exec(defaultCell as string)?.[1],
    }));
}

describe('docs/configuration.md', () => {
  const documented = documentedVariables(readFileSync(DOC_PATH, 'utf8'));
  const documentedNames = documented.map((v) => v.name);

  it('documents every variable that config.ts reads', () => {
    const undocumented = VARIABLE_NAMES.filter((name) => !documentedNames.includes(name));
    expect(undocumented, 'read by config.ts but missing from the doc').toEqual([]);
  });

  it('documents no variable that config.ts does not read, and each only once', () => {
    const unknown = documentedNames.filter((name) => !(VARIABLE_NAMES as string[]).includes(name));
    expect(unknown, 'in the doc but not read by config.ts').toEqual([]);
    expect(documentedNames.length).toBe(new Set(documentedNames).size);
  });

  it('gives defaults that behave exactly like leaving the variable unset', () => {
    const withLiteralDefaults = documented.filter((v) => v.literalDefault !== undefined);
    expect(withLiteralDefaults.length).toBeGreaterThan(10);
    const unset = loadConfig({});
    for (const { name, literalDefault } of withLiteralDefaults) {
      expect(loadConfig({ [name]: literalDefault }), name).toEqual(unset);
    }
  });
});
