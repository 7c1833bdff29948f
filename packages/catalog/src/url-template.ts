/** `{name}` placeholders in a provider's URL templates. */
const PLACEHOLDER = /\{([a-z][a-z0-9_]{0,31})\}/g;

/** The placeholder names a template uses, in order. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}

/**
 * The template with each placeholder replaced by its value. Values were checked for their
 * kind before (a host, a label, a path segment, a kept URL), so none can add a path, a
 * query or another host; a missing one is a bug in the catalog, caught by its checks.
 */
export function renderUrlTemplate(template: string, values: Readonly<Record<string, string>>) {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for {${name}} in ${template}`);
    return value;
  });
}
