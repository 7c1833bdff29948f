export { migrateToLatest } from './migrate';
export { type DatabaseLocation, openStore, parseDatabaseUrl } from './open-store';
