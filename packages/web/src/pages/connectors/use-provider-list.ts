import type { ProviderList } from '@latchkey/core';
import { useEffect, useState } from 'react';
import { client } from '../../api';
import { errorText } from '../../components/error-message';

export type ProviderListLoad =
  | { state: 'loading' }
  | { state: 'loaded'; list: ProviderList }
  | { state: 'failed'; error: string };

/** The catalog's presets, loaded once when `needed` (a custom connector's edit needs none). */
export function useProviderList(needed: boolean): ProviderListLoad {
  const [load, setLoad] = useState<ProviderListLoad>({ state: 'loading' });
  useEffect(() => {
    if (!needed) return;
    let current = true;
    client.listProviders().then(
      (list) => current && setLoad({ state: 'loaded', list }),
      (error: unknown) => current && setLoad({ state: 'failed', error: errorText(error) }),
    );
    return () => {
      current = false;
    };
  }, [needed]);
  return load;
}
