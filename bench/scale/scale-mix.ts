import { benchRequests, type ConnectionPair } from '../request-mix';
import type { SeededConnections } from '../seed-connections';

/** How many connections take the whole load in the "hot" runs (the figure). */
export const HOT_CONNECTIONS = 50;

/**
 * Requests spread over every stored connection, or over `HOT_CONNECTIONS` fixed ones drawn
 * once: the first stresses the page cache and the index, the second the per-call work.
 */
export function scaleMix(seeded: SeededConnections, spread: 'all' | 'hot') {
  const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)] as T;
  const anyPair = (): ConnectionPair => [pick(seeded.connectorIds), pick(seeded.userIds)];
  const hot = Array.from({ length: HOT_CONNECTIONS }, anyPair);
  return benchRequests(seeded.apiKey, spread === 'all' ? anyPair : () => pick(hot));
}
