import {
  EuiCallOut,
  EuiSelectable,
  type EuiSelectableOption,
  EuiSpacer,
  EuiText,
} from '@elastic/eui';
import type { ProviderView } from '@latchkey/core';
import type { ProviderListLoad } from './use-provider-list';

/** `custom`: every endpoint by hand; a preset: the catalog knows them. */
export type ProviderChoice = { kind: 'custom' } | { kind: 'preset'; provider: ProviderView };

export const CUSTOM_LABEL = 'Custom OAuth 2.0 / API';

/**
 * The first step of a new connector: a searchable list of the catalog's providers (by name or
 * id), after the custom connector that needs no preset.
 */
export function ProviderPicker(props: {
  load: ProviderListLoad;
  onPick: (choice: ProviderChoice) => void;
}) {
  const listed = props.load.state === 'loaded' ? props.load.list.providers : [];
  // The form makes per-user connectors; shared ones are made through the API.
  const providers = listed.filter((provider) => provider.authModes.includes('per-user'));
  const options: EuiSelectableOption[] = [
    { key: 'custom', label: CUSTOM_LABEL, 'data-test-subj': 'provider-option-custom' },
    ...providers.map((provider) => ({
      key: provider.id,
      label: provider.name,
      searchableLabel: `${provider.name} ${provider.id}`,
      append: (
        <EuiText size="xs" color="subdued">
          {provider.id}
        </EuiText>
      ),
      'data-test-subj': `provider-option-${provider.id}`,
    })),
  ];

  function pick(picked: EuiSelectableOption | undefined) {
    if (!picked) return;
    const provider = providers.find((p) => p.id === picked.key);
    props.onPick(provider ? { kind: 'preset', provider } : { kind: 'custom' });
  }

  return (
    <>
      {props.load.state === 'failed' && (
        <>
          <EuiCallOut
            title="The provider presets did not load"
            color="warning"
            iconType="warning"
            role="alert"
          >
            {props.load.error} You can still create a custom connector.
          </EuiCallOut>
          <EuiSpacer />
        </>
      )}
      <EuiSelectable
        aria-label="Provider"
        searchable
        singleSelection
        isLoading={props.load.state === 'loading'}
        searchProps={{ placeholder: 'Search providers', 'aria-label': 'Search providers' }}
        options={options}
        // Tens of providers at most: rendered whole, the list needs no fixed height.
        listProps={{ bordered: true, isVirtualized: false }}
        onChange={(next) => pick(next.find((option) => option.checked === 'on'))}
      >
        {(list, search) => (
          <>
            {search}
            <EuiSpacer size="s" />
            {list}
          </>
        )}
      </EuiSelectable>
    </>
  );
}
