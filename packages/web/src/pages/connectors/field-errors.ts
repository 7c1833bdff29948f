import type { LatchkeyApiError } from '@latchkey/sdk';

/**
 * Puts the server's error next to the field it names (`config.tokenUrl`, `/config/tokenUrl`,
 * `secrets.clientSecret`…), among the form's `fieldNames`; anything else is the form's.
 */
export function fieldErrorsOf(
  error: LatchkeyApiError,
  fieldNames: readonly string[],
): Partial<Record<string, string>> {
  const details = (error.details ?? {}) as {
    field?: string;
    fields?: string[];
    issues?: { path: string; message: string }[];
  };
  const paths = details.issues?.map((i) => ({ path: i.path, message: i.message })) ?? [];
  // `secret_required` names every missing secret in `fields`.
  for (const field of [...(details.field ? [details.field] : []), ...(details.fields ?? [])])
    paths.push({ path: field, message: error.message });
  const found: Record<string, string> = {};
  for (const { path, message } of paths) {
    const name = path.split(/[./]/).filter(Boolean).at(-1);
    if (name !== undefined && fieldNames.includes(name)) found[name] = message;
  }
  if (error.code === 'connector_name_taken') found.name = error.message;
  return Object.keys(found).length > 0 ? found : { form: error.message };
}
