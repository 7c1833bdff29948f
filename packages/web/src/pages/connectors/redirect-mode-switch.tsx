import { EuiFlexGroup, EuiFlexItem, EuiSwitch } from '@elastic/eui';
import { useState } from 'react';
import type { RedirectMode } from './connector-actions';

const MODE_KEY = 'latchkey.redirectMode';

/** The person's choice of new tab or redirect, remembered in this browser. */
export function useRedirectMode(): [RedirectMode, (next: RedirectMode) => void] {
  const [mode, setMode] = useState<RedirectMode>(() =>
    window.localStorage.getItem(MODE_KEY) === 'redirect' ? 'redirect' : 'new_tab',
  );
  function changeMode(next: RedirectMode) {
    window.localStorage.setItem(MODE_KEY, next);
    setMode(next);
  }
  return [mode, changeMode];
}

export function RedirectModeSwitch(props: {
  mode: RedirectMode;
  onChange: (next: RedirectMode) => void;
}) {
  return (
    <EuiFlexGroup justifyContent="flexEnd">
      <EuiFlexItem grow={false}>
        <EuiSwitch
          label="Open the provider in a new tab"
          checked={props.mode === 'new_tab'}
          onChange={(e) => props.onChange(e.target.checked ? 'new_tab' : 'redirect')}
        />
      </EuiFlexItem>
    </EuiFlexGroup>
  );
}
