/**
 * What a provider does that its catalog entry cannot say, in one small module per provider
 * (`quirks/<id>.ts`), so that the rest of Latchkey sees standard answers. Each hook is
 * optional; a module implements only what its provider needs.
 */
export interface ProviderQuirks {
  /**
   * Turns the token endpoint's answer (code exchange and refresh) into RFC 6749's shape:
   * §5.1 on success, §5.2 (`400` with `{error}`) on failure. Plugged in through
   * oauth4webapi's `customFetch`, after the catalog's data mapping.
   */
  readonly tokenResponse?: (response: Response) => Promise<Response>;
}
