import type { AccessTokens, CoreDeps, SharedCredentials } from '@latchkey/core';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { ServiceEgress } from './egress';
import type { ServiceMetrics } from './metrics/service-metrics';
import type { RateLimitStore } from './rate-limits/rate-limit-store';

/** Everything the HTTP app needs, built once by `main.ts` (or by a test). */
export interface AppDeps extends CoreDeps {
  config: Config;
  logger: Logger;
  accessTokens: AccessTokens;
  sharedCredentials: SharedCredentials;
  egress: ServiceEgress;
  /** The counters behind every rate limit: shared through Redis, or this instance's own. */
  rateLimitStore: RateLimitStore;
  metrics: ServiceMetrics;
}
