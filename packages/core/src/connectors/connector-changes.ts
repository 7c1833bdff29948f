import type { StoredConnector } from '../store';
import {
  type ConnectorConfig,
  type ConnectorInput,
  SECRET_BOUND_CONFIG_FIELDS,
} from './connector-schema';

interface ConnectorSettings {
  authMode: ConnectorInput['authMode'];
  config: ConnectorConfig;
}

/**
 * The settings a stored secret is bound to that an update changes, as `authMode` and
 * `config.<field>` paths: where the secret is sent, for which client, and how it is presented.
 */
export function secretBindingChanges(current: StoredConnector, next: ConnectorSettings): string[] {
  const before: Record<string, unknown> = current.config;
  const after: Record<string, unknown> = next.config;
  const changed = SECRET_BOUND_CONFIG_FIELDS.filter((field) => before[field] !== after[field]).map(
    (field) => `config.${field}`,
  );
  return current.authMode === next.authMode ? changed : ['authMode', ...changed];
}
