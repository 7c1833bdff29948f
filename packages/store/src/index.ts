export { migrateToLatest } from './migrate';
export {
  type DatabaseLocation,
  type OpenStoreOptions,
  openStore,
  parseDatabaseUrl,
  redactDatabaseUrl,
} from './open-store';
