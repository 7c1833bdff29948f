import type { Migration } from 'kysely';
import * as initial from './0001-initial';
import * as oauthFlows from './0002-oauth-flows';
import * as apiKeys from './0003-api-keys';
import * as revocationsOutliveConnectors from './0004-revocations-outlive-connectors';
import * as auditDetails from './0005-audit-details';
import * as postgresBinaryCollation from './0006-postgres-binary-collation';
import * as connectionMetadata from './0007-connection-metadata';
import * as endUsers from './0008-end-users';
import * as connectionHealth from './0009-connection-health';
import * as webhooksOutbox from './0010-webhooks-outbox';
import * as connectionAccount from './0011-connection-account';
import * as outboxRetention from './0012-outbox-retention';

/** Every migration, in order. Names are permanent: never rename or reorder. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-oauth-flows': oauthFlows,
  '0003-api-keys': apiKeys,
  '0004-revocations-outlive-connectors': revocationsOutliveConnectors,
  '0005-audit-details': auditDetails,
  '0006-postgres-binary-collation': postgresBinaryCollation,
  '0007-connection-metadata': connectionMetadata,
  '0008-end-users': endUsers,
  '0009-connection-health': connectionHealth,
  '0010-webhooks-outbox': webhooksOutbox,
  '0011-connection-account': connectionAccount,
  '0012-outbox-retention': outboxRetention,
};
