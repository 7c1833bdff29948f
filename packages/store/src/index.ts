export { migrateToLatest } from './migrate';
export {
  type DatabaseLocation,
  type OpenStoreOptions,
  openStore,
  parseDatabaseUrl,
} from './open-store';
