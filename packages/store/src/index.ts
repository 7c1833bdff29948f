export { migrateToLatest } from './migrate';
export {
  type DatabaseLocation,
  type OpenedStore,
  type OpenStoreOptions,
  openStore,
  parseDatabaseUrl,
} from './open-store';
export type { PoolUsage } from './pool-usage';
