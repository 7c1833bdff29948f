import { placeholdersOf, renderUrlTemplate } from '@latchkey/catalog';
import { LatchkeyError } from '../errors/latchkey-error';
import type { ConnectionMetadata } from '../store';

/**
 * The API base URL for one connection: the connector's, with the values kept from that
 * connection's provider filled in where it names them (`{instance_url}/services/data`).
 * A leading value is a kept URL, bounded to the preset's hosts when kept (kept-metadata.ts,
 * and the catalog's checks allow a URL nowhere else); any other is one path segment, encoded.
 */
export function connectionApiBaseUrl(
  apiBaseUrl: string,
  metadata: ConnectionMetadata | null,
): string {
  // Most base URLs name no kept value; this runs on every proxied call.
  if (!apiBaseUrl.includes('{')) return apiBaseUrl;
  const names = placeholdersOf(apiBaseUrl);
  if (names.length === 0) return apiBaseUrl;
  if (!names.every((name) => metadata?.[name] !== undefined)) {
    throw new LatchkeyError('connection_incomplete');
  }
  const leading = apiBaseUrl.startsWith('{') ? names[0] : undefined;
  const values = Object.fromEntries(
    names.map((name) => {
      const value = metadata?.[name] ?? '';
      return [name, name === leading ? value : encodeURIComponent(value)];
    }),
  );
  return renderUrlTemplate(apiBaseUrl, values);
}
