import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** What `npm start` builds and runs, from the repository root. */
export const SERVER_ENTRY = join(REPO_ROOT, 'packages/server/src/main.ts');
export const SERVER_BUNDLE = join(REPO_ROOT, 'packages/server/dist/main.mjs');
/** Node's flags for a bundle: stack traces name the TypeScript files and lines. */
export const BUNDLE_NODE_FLAGS = ['--enable-source-maps'] as const;

/**
 * Bundles a TypeScript entry point for plain `node`: our code (relative imports and the
 * `@latchkey/*` workspace packages) in one ES module, every other package left to Node, which
 * finds them in `node_modules` above `outfile` (so `outfile` must be inside the checkout).
 * Without tsx's loader the process saves its module-loader thread and compiled copies of
 * every file (docs/performance.md, "Memory at idle"). Written whole, then renamed into place:
 * processes building at once never run a half-written file.
 */
export async function buildBundle(entry: string, outfile: string): Promise<Metafile> {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    // The stack traces need the lines; the files are in the checkout.
    sourcesContent: false,
    plugins: [thirdPartyExternal, importMetaUrlOfSource(outfile)],
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  await mkdir(dirname(outfile), { recursive: true });
  await Promise.all(result.outputFiles.map((file) => writeWhole(file.path, file.contents)));
  return result.metafile;
}

/** The server as `npm start` runs it. */
export function buildServerBundle(): Promise<Metafile> {
  return buildBundle(SERVER_ENTRY, SERVER_BUNDLE);
}

async function writeWhole(path: string, contents: Uint8Array): Promise<void> {
  const partial = `${path}.${process.pid}.partial`;
  await writeFile(partial, contents);
  await rename(partial, path);
}

/** Bare imports other than `@latchkey/*` stay imports, resolved by Node at run time. */
const thirdPartyExternal: Plugin = {
  name: 'third-party-external',
  setup(bundle) {
    bundle.onResolve({ filter: /^[^./]/ }, ({ path }) =>
      path.startsWith('@latchkey/') ? undefined : { path, external: true },
    );
  },
};

/**
 * `import.meta.url` keeps meaning the URL of the source file that says it, so that paths
 * computed from it (the provider catalog, the built web UI) find the same files from the
 * bundle: it becomes that file's URL relative to the bundle's own.
 */
function importMetaUrlOfSource(outfile: string): Plugin {
  return {
    name: 'import-meta-url-of-source',
    setup(bundle) {
      bundle.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
        const source = await readFile(path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const fromBundle = JSON.stringify(relative(dirname(outfile), path).split(sep).join('/'));
        return {
          contents: source.replaceAll(
            'import.meta.url',
            `new URL(${fromBundle}, import.meta.url).href`,
          ),
          loader: 'ts',
        };
      });
    },
  };
}
