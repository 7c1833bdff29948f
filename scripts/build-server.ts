import { buildServerBundle } from './server-bundle';

/** `npm run build:server`: the bundle `npm start` runs (scripts/server-bundle.ts). */
await buildServerBundle();
