import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { boundCounter, SeriesTree } from './series-tree';

function counterWithSeries() {
  const registry = new Registry();
  const calls = boundCounter({
    name: 'calls_total',
    help: 'Calls.',
    labelNames: ['connector', 'status'] as const,
    registers: [registry],
  });
  return { registry, series: new SeriesTree(['connector', 'status'], calls) };
}

describe('series bound to their labels', () => {
  it('shows what each series counted at the next scrape, once', async () => {
    const { registry, series } = counterWithSeries();
    for (let i = 0; i < 3; i += 1) series.at('a').at(200).series()();
    series.at('a').at(502).series()();
    const first = await registry.metrics();
    expect(first).toContain('calls_total{connector="a",status="200"} 3');
    expect(first).toContain('calls_total{connector="a",status="502"} 1');
    series.at('a').at(200).series()();
    const second = await registry.metrics();
    expect(second).toContain('calls_total{connector="a",status="200"} 4');
    expect(second).toContain('calls_total{connector="a",status="502"} 1');
  });

  it('answers one series per label set, made once', () => {
    const made: Record<string, string | number>[] = [];
    const tree = new SeriesTree(['connector', 'status'], (labels) => {
      made.push(labels);
      return labels;
    });
    expect(tree.at('a').at(200).series()).toBe(tree.at('a').at(200).series());
    tree.at('b').at(200).series();
    expect(made).toEqual([
      { connector: 'a', status: 200 },
      { connector: 'b', status: 200 },
    ]);
  });
});
