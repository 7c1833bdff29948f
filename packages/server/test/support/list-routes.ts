import type { FastifyInstance } from 'fastify';

export interface AppRoute {
  method: string;
  /** Fastify's pattern, e.g. `/api/users/:id`. */
  url: string;
}

// A line of `printRoutes()`: tree drawing, a path segment, methods. (Not `commonPrefix: false`:
// find-my-way 9 then drops the static prefix before a wildcard, e.g. `/proxy/` before `*`.)
const TREE_LINE = /^((?:│ {3}| {4})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/;

/**
 * Every route the app registered, read from Fastify's own route tree, so that a test
 * iterating over it covers routes added later without being told about them.
 */
export function listRoutes(app: FastifyInstance): AppRoute[] {
  const segments: string[] = [];
  const routes: AppRoute[] = [];
  for (const line of app.printRoutes().split('\n')) {
    if (!line.trim()) continue;
    const match = TREE_LINE.exec(line);
    if (!match) throw new Error(`cannot read route tree line: ${JSON.stringify(line)}`);
    const [, indent = '', segment = '', methods] = match;
    const depth = indent.length / 4;
    segments.length = depth;
    // A parametric node lists every name used at its position (`:id|:connectorId`).
    segments.push(segment.split('|')[0] as string);
    if (!methods) continue;
    for (const method of methods.split(', ')) routes.push({ method, url: segments.join('') });
  }
  return routes;
}

/** Fills every `:param` (and a trailing `*`) of a route pattern with `value`. */
export function fillParams(url: string, value: string): string {
  return url.replace(/:[A-Za-z0-9_]+(\([^)]*\))?/g, value).replace(/\*$/, 'rest/of/path');
}

export function hasParams(url: string): boolean {
  return /:[A-Za-z0-9_]+|\*$/.test(url);
}
