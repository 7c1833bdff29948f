import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { BoundHistogram } from './bound-histogram';

const BUCKETS = [0.001, 0.005, 0.01, 1];
const OBSERVED: [string, number][] = [
  ['a', 0.0005],
  ['a', 0.001],
  ['a', 0.004],
  ['b', 0.5],
  ['a', 2],
  ['b', 0.01],
];

function scrapeOf(kind: typeof Histogram | typeof BoundHistogram, observe: boolean) {
  const registry = new Registry();
  const config = {
    name: 'wait_seconds',
    help: 'Waits.',
    labelNames: ['connector'] as const,
    buckets: BUCKETS,
    registers: [registry],
  };
  if (kind === BoundHistogram) {
    const histogram = new BoundHistogram(config);
    const series = {
      a: histogram.series({ connector: 'a' }),
      b: histogram.series({ connector: 'b' }),
    };
    if (observe)
      for (const [connector, value] of OBSERVED) series[connector === 'a' ? 'a' : 'b'](value);
  } else {
    const histogram = new Histogram(config);
    if (observe) for (const [connector, value] of OBSERVED) histogram.observe({ connector }, value);
  }
  return registry.metrics();
}

describe('a histogram bound to its label sets', () => {
  it("scrapes exactly as prom-client's histogram given the same observations", async () => {
    const expected = await scrapeOf(Histogram, true);
    expect(expected).toContain('wait_seconds_bucket{le="0.005",connector="a"} 3');
    expect(await scrapeOf(BoundHistogram, true)).toBe(expected);
  });

  it('reads as JSON as prom-client does', async () => {
    const registry = new Registry();
    const histogram = new BoundHistogram({
      name: 'w',
      help: 'W.',
      buckets: BUCKETS,
      registers: [registry],
    });
    histogram.series({})(0.002);
    const [metric] = await registry.getMetricsAsJSON();
    expect(metric?.values).toContainEqual({
      labels: { le: 0.005 },
      value: 1,
      metricName: 'w_bucket',
    });
  });
});
