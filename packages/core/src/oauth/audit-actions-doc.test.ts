import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from './audit';

const DOC_PATH = new URL('../../../../docs/audit.md', import.meta.url);

/** The first cell of each row of the table under `## Actions`: `| \`action\` | when | … |`. */
function documentedActions(markdown: string): string[] {
  const section = markdown.split(/^## Actions$/m)[1]?.split(/^## /m)[0] ?? '';
  return section
    .split('\n')
    .map((line) => /^\|\s*`([a-z0-9_]+)`\s*\|/.exec(line)?.[1])
    .filter((action) => action !== undefined);
}

describe('docs/audit.md', () => {
  const documented = documentedActions(readFileSync(DOC_PATH, 'utf8'));
  const actions: readonly string[] = AUDIT_ACTIONS;

  it('lists every action of AUDIT_ACTIONS', () => {
    const missing = actions.filter((action) => !documented.includes(action));
    expect(missing, 'in AUDIT_ACTIONS but not in docs/audit.md').toEqual([]);
  });

  it('lists no action that AUDIT_ACTIONS lacks, and each action once', () => {
    const extra = documented.filter((action) => !actions.includes(action));
    expect(extra, 'in docs/audit.md but not in AUDIT_ACTIONS').toEqual([]);
    expect(documented.length, 'actions listed twice').toBe(new Set(documented).size);
  });
});
