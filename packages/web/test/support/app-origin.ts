import { createServer, type Server } from 'node:http';
import { build } from 'vite';

const ENTRY = new URL('./embedded-app-entry.ts', import.meta.url).pathname;

export interface AppOrigin {
  /** `http://127.0.0.1:<port>`: another site than Latchkey's `localhost`. */
  origin: string;
  close(): Promise<void>;
}

/** The SDK, bundled for a browser as an app would bundle it (IIFE, no React needed). */
export async function bundleEmbeddedApp(): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'warn',
    // The SDK's index also exports the React hooks; an app's bundler defines this too.
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      write: false,
      minify: false,
      lib: { entry: ENTRY, formats: ['iife'], name: 'embeddedApp', fileName: () => 'app.js' },
    },
  });
  const outputs = Array.isArray(result) ? result : [result];
  for (const output of outputs) {
    if ('output' in output) {
      const chunk = output.output.find((o) => o.type === 'chunk');
      if (chunk && chunk.type === 'chunk') return chunk.code;
    }
  }
  throw new Error('the embedded app did not bundle');
}

/**
 * An app's own site: `/` loads the bundled SDK, `/done` is where Latchkey's Done button
 * leads. Plain pages, served from 127.0.0.1 so that the browser treats it as another site.
 */
export async function startAppOrigin(bundle: string): Promise<AppOrigin> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path === '/app.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
      return;
    }
    const title = path === '/done' ? 'App: back from Latchkey' : 'App';
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(
        `<!doctype html><title>${title}</title><h1>${title}</h1><script src="/app.js"></script>`,
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
