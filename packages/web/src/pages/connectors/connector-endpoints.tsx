import { EuiDescriptionList, EuiSpacer, EuiTitle } from '@elastic/eui';
import type { ConnectorEndpoints } from '@latchkey/core';

const ROWS: { field: keyof ConnectorEndpoints; title: string }[] = [
  { field: 'apiBaseUrl', title: 'API base URL (proxy paths are relative to it)' },
  { field: 'authorizationUrl', title: 'Authorization URL' },
  { field: 'tokenUrl', title: 'Token URL' },
  { field: 'revocationUrl', title: 'Revocation URL' },
  { field: 'issuer', title: 'Issuer' },
];

/** Where a preset connector's flow and calls go, as the server resolved them: read-only. */
export function ConnectorEndpointsList({ endpoints }: { endpoints: ConnectorEndpoints }) {
  const listItems = ROWS.flatMap(({ field, title }) =>
    endpoints[field] ? [{ title, description: endpoints[field] }] : [],
  );
  return (
    <section aria-labelledby="connector-endpoints-title" data-test-subj="connector-endpoints">
      <EuiTitle size="xs">
        <h3 id="connector-endpoints-title">Calls go to</h3>
      </EuiTitle>
      <EuiSpacer size="s" />
      <EuiDescriptionList compressed listItems={listItems} />
    </section>
  );
}
