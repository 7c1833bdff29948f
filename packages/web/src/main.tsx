// biome-ignore-all assist/source/organizeImports: csp-nonce must load before EUI inserts styles
import { cspNonce } from './csp-nonce';
import { EuiProvider } from '@elastic/eui';
import createCache from '@emotion/cache';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';

// EUI inserts styles through three emotion caches; each must carry the nonce.
const cacheFor = (key: string) => createCache({ key, ...(cspNonce ? { nonce: cspNonce } : {}) });
const cache = {
  default: cacheFor('lk'),
  global: cacheFor('lk-global'),
  utility: cacheFor('lk-utility'),
};

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <EuiProvider colorMode="light" cache={cache}>
        <App />
      </EuiProvider>
    </StrictMode>,
  );
}
