import type { Migration } from 'kysely';
import * as initial from './0001-initial';
import * as oauthFlows from './0002-oauth-flows';

/** Every migration, in order. Names are permanent: never rename or reorder. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-oauth-flows': oauthFlows,
};
