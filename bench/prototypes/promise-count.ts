import { subscribe } from 'node:diagnostics_channel';
import { promiseHooks } from 'node:v8';

/**
 * Diagnostic: promises made and `process.nextTick` calls per HTTP request the server
 * answered (start-up's few included), printed at exit. Every promise is a turn of the
 * microtask queue; a proxied call made 41 in session 11, either forwarder 10–12.
 */
export function countPromises(): void {
  let promises = 0;
  let ticks = 0;
  let requests = 0;
  promiseHooks.onInit(() => {
    promises += 1;
  });
  const nextTick = process.nextTick;
  process.nextTick = (callback: (...args: unknown[]) => void, ...args: unknown[]) => {
    ticks += 1;
    nextTick(callback, ...args);
  };
  subscribe('http.server.request.start', () => {
    requests += 1;
  });
  process.on('exit', () => {
    const perRequest = (count: number) => (count / Math.max(requests, 1)).toFixed(1);
    process.stderr.write(
      `promises: ${perRequest(promises)} per request, nextTick: ${perRequest(ticks)} per request, ` +
        `over ${requests} requests\n`,
    );
  });
}
