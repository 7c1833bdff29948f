import { Gauge, type Registry } from 'prom-client';
import { BoundHistogram } from './bound-histogram';
import { boundCounter, SeriesTree } from './series-tree';

export interface ProxyMetrics {
  /** A proxied call ended with the API's status, or `none` when no answer was passed on. */
  callFinished(connectorId: string, upstreamStatus: number | 'none'): void;
  /** One request to the API answered (its headers arrived) after `seconds`. */
  upstreamAnswered(connectorId: string, seconds: number): void;
  /** Reads the proxy's capacity in use (calls in flight, bodies buffered) at each scrape. */
  watchCapacity(usage: () => { calls: number; bufferedBytes: number }): void;
}

/** Up to the default proxy timeout of 30 s. */
const UPSTREAM_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Proxied calls per connector. The label is the id of a connector that exists: a call to an
 * unknown id is refused before it counts, so a client cannot add series.
 */
export function createProxyMetrics(registry: Registry): ProxyMetrics {
  const calls = boundCounter({
    name: 'latchkey_proxy_calls_total',
    help: 'Proxied calls, by connector id and the status the API answered (none: no answer passed on).',
    labelNames: ['connector', 'upstream_status'] as const,
    registers: [registry],
  });
  const upstream = new BoundHistogram({
    name: 'latchkey_proxy_upstream_duration_seconds',
    help: "Time until a connector's API answered a proxied request (its headers), by connector id.",
    labelNames: ['connector'] as const,
    buckets: UPSTREAM_BUCKETS_S,
    registers: [registry],
  });
  const callSeries = new SeriesTree(['connector', 'upstream_status'], calls);
  const upstreamSeries = new SeriesTree(['connector'], (labels) => upstream.series(labels));
  return {
    callFinished: (connector, upstreamStatus) =>
      callSeries.at(connector).at(upstreamStatus).series()(),
    upstreamAnswered: (connector, seconds) => upstreamSeries.at(connector).series()(seconds),
    watchCapacity(usage) {
      new Gauge({
        name: 'latchkey_proxy_calls_in_flight',
        help: 'Proxied calls in flight in this instance (LATCHKEY_PROXY_MAX_CONCURRENT_CALLS caps them).',
        registers: [registry],
        collect() {
          this.set(usage().calls);
        },
      });
      new Gauge({
        name: 'latchkey_proxy_buffered_bytes',
        help: 'Request body bytes proxied calls hold in memory (LATCHKEY_PROXY_MAX_BUFFERED_BYTES caps them).',
        registers: [registry],
        collect() {
          this.set(usage().bufferedBytes);
        },
      });
    },
  };
}
