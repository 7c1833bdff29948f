import { Session } from 'node:inspector';

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

/** Diagnostic: where the server allocates (collected objects included), printed at exit. */
export function profileAllocations(): void {
  const session = new Session();
  session.connect();
  session.post('HeapProfiler.startSampling', {
    samplingInterval: 8192,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  process.on('exit', () => {
    session.post('HeapProfiler.stopSampling', (error, result) => {
      if (error) return;
      const totals = new Map<string, number>();
      let all = 0;
      const walk = (node: SamplingNode) => {
        const frame = node.callFrame;
        const where = frame.url.replace(/^.*node_modules\//, '').replace(/^.*\/packages\//, '');
        const name = `${frame.functionName || '(anon)'} ${where}:${frame.lineNumber + 1}`;
        all += node.selfSize;
        const area = /^(@[^/]+\/[^/]+|[^/:]+)/.exec(where)?.[1] ?? where;
        for (const key of [`fn ${name}`, `area ${area}`]) {
          totals.set(key, (totals.get(key) ?? 0) + node.selfSize);
        }
        for (const child of node.children) walk(child);
      };
      walk((result as unknown as { profile: { head: SamplingNode } }).profile.head);
      process.stderr.write(`allocated (sampled): ${(all / 2 ** 20).toFixed(0)} MiB\n`);
      for (const [key, size] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 40)) {
        process.stderr.write(`${((size / all) * 100).toFixed(1).padStart(5)} %  ${key}\n`);
      }
    });
  });
}
