import { EuiFormRow, EuiSwitch } from '@elastic/eui';

/** The connector's opt-in to the keep-alive job (`config.keepAlive`, docs/api.md). */
export function KeepAliveRow(props: { checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <EuiFormRow helpText="Refreshes users' tokens in the background before they lapse, so a connection left unused for a while still works. Changing it keeps the connections.">
      <EuiSwitch
        name="keepAlive"
        label="Keep connections alive"
        checked={props.checked}
        onChange={(e) => props.onChange(e.target.checked)}
      />
    </EuiFormRow>
  );
}
