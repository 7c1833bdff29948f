import { isDeepStrictEqual } from 'node:util';
import type { StoredConnector } from '../store';
import {
  type AuthSettings,
  CONNECTION_NEUTRAL_CONFIG_FIELDS,
  SECRET_BOUND_CONFIG_FIELDS,
} from './connector-schema';

/** What an update did to one field; `replaced` for a secret given again, never compared. */
export type FieldChange = 'added' | 'changed' | 'removed' | 'replaced';

/**
 * The settings a stored secret is bound to that an update changes, as `authMode` and
 * `config.<field>` paths: where the secret is sent, for which client, and how it is presented.
 */
export function secretBindingChanges(current: StoredConnector, next: AuthSettings): string[] {
  const before: Record<string, unknown> = current.config;
  const after: Record<string, unknown> = next.config;
  const changed = SECRET_BOUND_CONFIG_FIELDS.filter((field) => before[field] !== after[field]).map(
    (field) => `config.${field}`,
  );
  return current.authMode === next.authMode ? changed : ['authMode', ...changed];
}

/**
 * Every field an update changes, by path, for the audit log: names and verbs only, never a
 * value (a config value may be harmless, but a secret's must never be recorded).
 */
export function describeConnectorChanges(
  current: StoredConnector,
  next: AuthSettings & { name: string; secrets?: Record<string, string | undefined> },
): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  if (current.name !== next.name) changes.name = 'changed';
  if (current.authMode !== next.authMode) changes.authMode = 'changed';
  const before: Record<string, unknown> = current.config;
  const after: Record<string, unknown> = next.config;
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const change = configFieldChange(before[field], after[field]);
    if (change) changes[`config.${field}`] = change;
  }
  for (const [secretName, value] of Object.entries(next.secrets ?? {})) {
    if (value) changes[`secrets.${secretName}`] = 'replaced';
  }
  return changes;
}

function configFieldChange(before: unknown, after: unknown): FieldChange | undefined {
  if (before === undefined) return after === undefined ? undefined : 'added';
  if (after === undefined) return 'removed';
  return isDeepStrictEqual(before, after) ? undefined : 'changed';
}

/**
 * Whether an update changes how connections are made: any change of the auth mode or config
 * but of the connection-neutral fields (keep-alive). Flows under way were started under the
 * old settings and are refused at their callback (`configVersion`).
 */
export function changesConnectionSettings(current: StoredConnector, next: AuthSettings): boolean {
  return changesBeyond(current, next, { scopes: 'compared' });
}

/**
 * Whether an update voids the users' connections: the same changes but of the scopes asked
 * for. Tokens granted for fewer scopes still work where they were issued; the connections
 * that lack a new scope say so (`scopesMissing`) until the user reconnects.
 */
export function voidsConnections(current: StoredConnector, next: AuthSettings): boolean {
  return changesBeyond(current, next, { scopes: 'ignored' });
}

function changesBeyond(
  current: StoredConnector,
  next: AuthSettings,
  options: { scopes: 'compared' | 'ignored' },
): boolean {
  if (current.authMode !== next.authMode) return true;
  const before = connectionConfig(current.config, options.scopes);
  return !isDeepStrictEqual(before, connectionConfig(next.config, options.scopes));
}

/** The config without its connection-neutral fields and, when ignored, its scopes. */
function connectionConfig(
  config: AuthSettings['config'],
  scopes: 'compared' | 'ignored',
): Record<string, unknown> {
  const kept: Record<string, unknown> = { ...config };
  for (const field of CONNECTION_NEUTRAL_CONFIG_FIELDS) delete kept[field];
  if (scopes === 'compared') return kept;
  delete kept.scope;
  delete kept.preset;
  if (!config.preset) return kept;
  // A preset's scopes as typed are kept in its selection.
  const { scope: _typed, ...selection } = config.preset;
  return { ...kept, preset: selection };
}
