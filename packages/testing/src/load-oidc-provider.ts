import type Provider from 'oidc-provider';

/**
 * oidc-provider 9 prints "Unsupported runtime" through `console.warn` (not
 * `process.emitWarning`) when its module is evaluated on Node 20. It works fine there, so
 * that one line is filtered while the module loads; any other warning still gets through.
 * A dynamic import is required: a static one would be evaluated before any filter is set.
 * It is done lazily rather than with a top-level await, which CommonJS callers (tsx outside
 * a "type": "module" package) cannot load.
 */
const UNSUPPORTED_RUNTIME_WARNING = 'oidc-provider WARNING: Unsupported runtime';

let loading: Promise<typeof Provider> | undefined;

export function loadProvider(): Promise<typeof Provider> {
  loading ??= importWithoutRuntimeWarning();
  return loading;
}

async function importWithoutRuntimeWarning(): Promise<typeof Provider> {
  const originalWarn = console.warn;
  console.warn = (...args: unknown[]) => {
    const [first] = args;
    if (typeof first === 'string' && first.includes(UNSUPPORTED_RUNTIME_WARNING)) {
      return;
    }
    originalWarn(...args);
  };
  try {
    const module = await import('oidc-provider');
    return module.Provider;
  } finally {
    console.warn = originalWarn;
  }
}
