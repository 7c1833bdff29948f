/**
 * The `Authorization` values a stand-in should receive, written out independently of the
 * code that sends them.
 */

/** RFC 7617 Basic: `id:secret` in Base64, as sent by hand (GitHub's and Notion's own APIs). */
export function plainBasic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

/**
 * RFC 6749 §2.3.1 Basic at a token endpoint: each part form-encoded first. oauth4webapi
 * encodes every character outside [A-Za-z0-9], `-_.!~*'()` included, and a space as `+`.
 */
export function tokenEndpointBasic(id: string, secret: string): string {
  return plainBasic(formEncoded(id), formEncoded(secret));
}

function formEncoded(value: string): string {
  return encodeURIComponent(value)
    .replace(
      /[-_.!~*'()]/g,
      (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
    )
    .replaceAll('%20', '+');
}
