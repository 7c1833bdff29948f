/** One line of the Prometheus text format: `name{label="value",…} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** `GET` the metrics URL; fails unless it answers 200 in the Prometheus text format. */
export async function scrape(url: string | undefined): Promise<string> {
  if (!url) throw new Error('metrics are not listening');
  const response = await fetch(url);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`scrape answered ${response.status}: ${text}`);
  if (!response.headers.get('content-type')?.startsWith('text/plain; version=0.0.4')) {
    throw new Error(`not the Prometheus text format: ${response.headers.get('content-type')}`);
  }
  return text;
}

export function parseSamples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k, v]),
      );
      return { name: match[1] as string, labels, value: Number(match[3]) };
    });
}

/**
 * The sum of the samples named `name` whose labels include `labels`; undefined when there is
 * none (a series never written is absent, not zero).
 */
export function sampleValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const matching = parseSamples(text).filter(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  if (matching.length === 0) return undefined;
  return matching.reduce((sum, sample) => sum + sample.value, 0);
}

/** Every value of one label across the samples of `name`. */
export function labelValues(text: string, name: string, label: string): string[] {
  const values = parseSamples(text)
    .filter((sample) => sample.name === name && sample.labels[label] !== undefined)
    .map((sample) => sample.labels[label] as string);
  return [...new Set(values)].sort();
}
