import {
  EuiButton,
  EuiButtonEmpty,
  EuiFlexGroup,
  EuiFlexItem,
  EuiFlyoutFooter,
} from '@elastic/eui';

/** Cancel, back to the provider picker (new connectors), and the button that submits the form. */
export function ConnectorFormFooter(props: {
  editing: boolean;
  saving: boolean;
  onCancel: () => void;
  onBack: (() => void) | undefined;
}) {
  return (
    <EuiFlyoutFooter>
      <EuiFlexGroup justifyContent="spaceBetween">
        <EuiFlexItem grow={false}>
          <EuiButtonEmpty onClick={props.onCancel}>Cancel</EuiButtonEmpty>
        </EuiFlexItem>
        <EuiFlexGroup justifyContent="flexEnd" gutterSize="s" responsive={false}>
          {props.onBack && (
            <EuiButtonEmpty iconType="arrowLeft" onClick={props.onBack}>
              Choose another provider
            </EuiButtonEmpty>
          )}
          <EuiButton type="submit" form="connector-form" fill isLoading={props.saving}>
            {props.editing ? 'Save changes' : 'Create connector'}
          </EuiButton>
        </EuiFlexGroup>
      </EuiFlexGroup>
    </EuiFlyoutFooter>
  );
}
