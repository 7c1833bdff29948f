import { loadConfig } from '../packages/server/src/config';
import { createLogger } from '../packages/server/src/logger';
import { openService } from '../packages/server/src/service';
import { serveParent } from './parent-channel';
import { applyBeforeOpen, applyToService, prototypesFrom } from './prototypes/index';

/**
 * The service under test, started as `npm start` would (openService + listen), on the data
 * directory the bench prepared, in its own process so that its `rss` is its own.
 * `BENCH_PROTOTYPES` applies changes under evaluation (see prototypes/index.ts).
 */
const prototypes = prototypesFrom(process.env.BENCH_PROTOTYPES);
applyBeforeOpen(prototypes);
const config = loadConfig(process.env);
const logger = createLogger(config.logLevel);
const service = await openService(config, logger, { announce: () => {} });
applyToService(prototypes, service);
serveParent(await service.listen('127.0.0.1', 0), { stop: () => service.close() });
