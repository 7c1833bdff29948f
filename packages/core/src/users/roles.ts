export const ROLES = ['admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What each role may do. Editors hold the "all" privilege on connectors, viewers "read";
 * every role may connect and disconnect its own account.
 */
const PRIVILEGES = {
  'connectors:read': ['admin', 'editor', 'viewer'],
  'connectors:write': ['admin', 'editor'],
  'connections:own': ['admin', 'editor', 'viewer'],
  'users:manage': ['admin'],
  'api_keys:manage': ['admin'],
  'audit:read': ['admin'],
  'webhooks:manage': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Privilege = keyof typeof PRIVILEGES;

export function roleHas(role: Role, privilege: Privilege): boolean {
  return (PRIVILEGES[privilege] as readonly Role[]).includes(role);
}
