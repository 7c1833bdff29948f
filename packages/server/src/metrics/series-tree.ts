import { Counter, type CounterConfiguration, type LabelValues } from 'prom-client';

export type LabelValue = string | number;
export type Labels = Record<string, LabelValue>;

/**
 * A metric's series, found by their label values through one map per label and made on
 * first use. prom-client's `inc(labels)` and `observe(labels, v)` build and validate a key
 * from a label object on every call; a proxied call reports four series, so what it needs
 * here is a few map lookups that allocate nothing.
 */
export class SeriesTree<S> {
  readonly #children = new Map<LabelValue, SeriesTree<S>>();
  readonly #make: (labels: Labels) => S;
  readonly #names: readonly string[];
  readonly #labels: Labels;
  #series: S | undefined;

  constructor(names: readonly string[], make: (labels: Labels) => S, labels: Labels = {}) {
    this.#names = names;
    this.#make = make;
    this.#labels = labels;
  }

  /** The subtree of the next label (in `names` order) with this value. */
  at(value: LabelValue): SeriesTree<S> {
    let child = this.#children.get(value);
    if (!child) {
      const name = this.#names[Object.keys(this.#labels).length];
      if (name === undefined) throw new Error('more label values than label names');
      child = new SeriesTree(this.#names, this.#make, { ...this.#labels, [name]: value });
      this.#children.set(value, child);
    }
    return child;
  }

  /** The series whose label values led here. */
  series(): S {
    this.#series ??= this.#make(this.#labels);
    return this.#series;
  }
}

/**
 * A prom-client counter whose series count by themselves: the function answers a label set's
 * series, and each scrape first adds what the series counted since the previous one
 * (prom-client calls `collect` before it reads a metric).
 */
export function boundCounter<T extends string>(
  config: Omit<CounterConfiguration<T>, 'collect'>,
): (labels: LabelValues<T>) => () => void {
  const all: { labels: LabelValues<T>; hits: number }[] = [];
  new Counter<T>({
    ...config,
    collect() {
      for (const series of all) {
        if (series.hits === 0) continue;
        this.inc(series.labels, series.hits);
        series.hits = 0;
      }
    },
  });
  return (labels) => {
    const series = { labels, hits: 0 };
    all.push(series);
    return () => {
      series.hits += 1;
    };
  };
}
