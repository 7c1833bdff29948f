import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode, statusesOf } from './error-codes';

const DOC_PATH = new URL('../../../../docs/errors.md', import.meta.url);

/** Rows of the codes table: `| \`code\` | status[, status…] | meaning |`. */
function documentedCodes(markdown: string): Array<{ code: string; statuses: string }> {
  return markdown
    .split('\n')
    .map((line) => /^\|\s*`([a-z0-9_]+)`\s*\|\s*(\d{3}(?:\s*,\s*\d{3})*)\s*\|/.exec(line))
    .filter((match) => match !== null)
    .map(([, code, statuses]) => ({ code: code as string, statuses: sorted(statuses as string) }));
}

function sorted(statuses: string): string {
  return statuses
    .split(',')
    .map((status) => status.trim())
    .sort()
    .join(', ');
}

describe('docs/errors.md', () => {
  const documented = documentedCodes(readFileSync(DOC_PATH, 'utf8'));
  const registry = Object.entries(ERROR_CODES).map(([code, { status }]) => ({ code, status }));

  it('lists every code of the registry', () => {
    const missing = registry
      .filter(({ code }) => !documented.some((d) => d.code === code))
      .map(({ code }) => code);
    expect(missing, 'in ERROR_CODES but not in docs/errors.md').toEqual([]);
  });

  it('lists no code that the registry lacks, and each code once', () => {
    const extra = documented.filter(({ code }) => !(code in ERROR_CODES)).map(({ code }) => code);
    expect(extra, 'in docs/errors.md but not in ERROR_CODES').toEqual([]);
    const codes = documented.map((d) => d.code);
    expect(codes.length, 'codes listed twice').toBe(new Set(codes).size);
  });

  it('gives each code the HTTP statuses of the registry', () => {
    const disagreements = documented
      .filter(({ code }) => code in ERROR_CODES)
      .filter(({ code, statuses }) => sorted(statusesOf(code as ErrorCode).join(',')) !== statuses)
      .map(({ code, statuses }) => `${code}: doc says ${statuses}`);
    expect(disagreements).toEqual([]);
  });
});
