import {
  EuiCallOut,
  EuiFlyout,
  EuiFlyoutBody,
  EuiFlyoutHeader,
  EuiLoadingSpinner,
  EuiTitle,
} from '@elastic/eui';
import type { ConnectorView } from '@latchkey/core';
import { useState } from 'react';
import { CustomConnectorForm } from './custom-connector-form';
import { PresetConnectorForm } from './preset-connector-form';
import { type ProviderChoice, ProviderPicker } from './provider-picker';
import { type ProviderListLoad, useProviderList } from './use-provider-list';

/**
 * Create or edit a per-user connector. A new one starts with the provider picker; an existing
 * one opens the form of its kind directly.
 */
export function ConnectorFlyout(props: {
  connector: ConnectorView | undefined;
  onClose: () => void;
  onSaved: (connector: ConnectorView) => void;
}) {
  const existing = props.connector;
  const isCustom = existing?.provider === 'custom';
  const load = useProviderList(!isCustom);
  const [picked, setPicked] = useState<ProviderChoice | undefined>(
    isCustom ? { kind: 'custom' } : undefined,
  );
  const choice = picked ?? (existing ? presetOf(existing, load) : undefined);
  const back = existing ? undefined : () => setPicked(undefined);

  return (
    <EuiFlyout onClose={props.onClose} size="m" aria-labelledby="connector-flyout-title">
      <EuiFlyoutHeader hasBorder>
        <EuiTitle size="m">
          <h2 id="connector-flyout-title">{titleOf(existing, choice)}</h2>
        </EuiTitle>
      </EuiFlyoutHeader>
      {choice?.kind === 'custom' && (
        <CustomConnectorForm
          connector={existing}
          onCancel={props.onClose}
          onBack={back}
          onSaved={props.onSaved}
        />
      )}
      {choice?.kind === 'preset' && load.state === 'loaded' && (
        <PresetConnectorForm
          provider={choice.provider}
          redirectUri={load.list.redirectUri}
          connector={existing}
          onCancel={props.onClose}
          onBack={back}
          onSaved={props.onSaved}
        />
      )}
      {!choice && (
        <EuiFlyoutBody>
          {existing ? (
            <PresetLoadState load={load} provider={existing.provider} />
          ) : (
            <ProviderPicker load={load} onPick={setPicked} />
          )}
        </EuiFlyoutBody>
      )}
    </EuiFlyout>
  );
}

/** An existing preset connector's provider, once the catalog has loaded and still has it. */
function presetOf(connector: ConnectorView, load: ProviderListLoad): ProviderChoice | undefined {
  if (load.state !== 'loaded') return undefined;
  const provider = load.list.providers.find((p) => p.id === connector.provider);
  return provider ? { kind: 'preset', provider } : undefined;
}

/** While an existing preset connector's provider is loading, or why its form cannot open. */
function PresetLoadState(props: { load: ProviderListLoad; provider: string }) {
  if (props.load.state === 'loading') return <EuiLoadingSpinner size="l" />;
  const why =
    props.load.state === 'failed'
      ? props.load.error
      : `The catalog has no provider "${props.provider}" any more.`;
  return (
    <EuiCallOut title="This connector cannot be edited now" color="danger" role="alert">
      {why}
    </EuiCallOut>
  );
}

function titleOf(existing: ConnectorView | undefined, choice: ProviderChoice | undefined): string {
  if (existing) return `Edit ${existing.name}`;
  if (choice?.kind === 'preset') return `Create a ${choice.provider.name} connector`;
  if (choice?.kind === 'custom') return 'Create a custom connector';
  return 'Create connector';
}
