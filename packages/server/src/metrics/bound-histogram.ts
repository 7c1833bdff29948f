import { Histogram, type HistogramConfiguration, type LabelValues } from 'prom-client';

/** One label set's observations: per-bucket counts (not cumulative), sum and count. */
interface Observations<T extends string> {
  labels: LabelValues<T>;
  perBucket: Float64Array;
  sum: number;
  count: number;
}

/**
 * A histogram whose series are bound to their label set once: `series(labels)` answers an
 * `observe(seconds)` that only adds to its own counts. prom-client's `observe(labels, v)`
 * builds and validates a key from the label object on every call. Scrapes read the same
 * samples prom-client's histogram would give (cumulative `_bucket`s, `+Inf`, `_sum`,
 * `_count`).
 */
export class BoundHistogram<T extends string> extends Histogram<T> {
  readonly #name: string;
  readonly #help: string;
  readonly #bounds: number[];
  readonly #all: Observations<T>[] = [];

  constructor(config: HistogramConfiguration<T> & { buckets: number[] }) {
    super(config);
    this.#name = config.name;
    this.#help = config.help;
    this.#bounds = [...config.buckets].sort((a, b) => a - b);
  }

  series(labels: LabelValues<T>): (value: number) => void {
    const observations = {
      labels,
      perBucket: new Float64Array(this.#bounds.length),
      sum: 0,
      count: 0,
    };
    this.#all.push(observations);
    const bounds = this.#bounds;
    return (value) => {
      let bucket = 0;
      while (bucket < bounds.length && value > (bounds[bucket] as number)) bucket += 1;
      if (bucket < bounds.length) observations.perBucket[bucket] += 1;
      observations.sum += value;
      observations.count += 1;
    };
  }

  /**
   * What prom-client's registry reads when a metric has it (its Histogram does), and what
   * the inherited `get()` builds on.
   */
  async getForPromString() {
    const values = this.#all.flatMap((observations) => this.#samples(observations));
    return { name: this.#name, help: this.#help, type: 'histogram', aggregator: 'sum', values };
  }

  #samples({ labels, perBucket, sum, count }: Observations<T>) {
    const bucketName = `${this.#name}_bucket`;
    let cumulative = 0;
    const buckets = this.#bounds.map((le, index) => {
      cumulative += perBucket[index] as number;
      return {
        labels: Object.assign({ le }, labels),
        value: cumulative,
        metricName: bucketName,
      };
    });
    // `sharedLabels`: the inherited `get()` merges them into each sample's own labels.
    return [
      ...buckets,
      { labels: Object.assign({ le: '+Inf' }, labels), value: count, metricName: bucketName },
      { labels: { ...labels }, value: sum, metricName: `${this.#name}_sum` },
      { labels: { ...labels }, value: count, metricName: `${this.#name}_count` },
    ].map((sample) => ({ ...sample, sharedLabels: {} }));
  }
}
