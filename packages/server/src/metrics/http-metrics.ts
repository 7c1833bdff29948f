import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import { BoundHistogram } from './bound-histogram';
import { boundCounter, SeriesTree } from './series-tree';

export interface HttpMetrics {
  requestFinished(request: FastifyRequest, statusCode: number, seconds: number): void;
}

/** Requests no route matched share one label: their paths are whatever a client sent. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Down to a millisecond: most API calls answer in under 5 ms. */
const BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * HTTP requests by method, route pattern and status. The route is the pattern
 * (`/api/connectors/:id`), never the path: a path holds ids, and unknown paths would make a
 * series each.
 */
export function createHttpMetrics(registry: Registry): HttpMetrics {
  const labelNames = ['method', 'route', 'status_code'] as const;
  const requests = boundCounter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames,
    registers: [registry],
  });
  const duration = new BoundHistogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving an HTTP request to sending its response, by method, route pattern and status code.',
    labelNames,
    buckets: BUCKETS_S,
    registers: [registry],
  });
  const series = new SeriesTree(labelNames, (labels) => ({
    count: requests(labels),
    observe: duration.series(labels),
  }));
  return {
    requestFinished(request, statusCode, seconds) {
      const answered = series
        .at(request.method)
        .at(request.routeOptions.url ?? UNMATCHED_ROUTE)
        .at(statusCode)
        .series();
      answered.count();
      answered.observe(seconds);
    },
  };
}

/** Counts every response the app sends, the 404 handler's included. */
export function registerHttpMetrics(app: FastifyInstance, metrics: HttpMetrics): void {
  app.addHook('onResponse', function countAnsweredRequest(request, reply, done) {
    metrics.requestFinished(request, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
