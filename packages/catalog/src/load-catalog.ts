import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Catalog, catalogOf } from './catalog';
import { checkProvider } from './check-provider';
import { type ProviderDefinition, providerDefinitionSchema } from './provider-definition';

/** The folder of provider files shipped with Latchkey. */
export const PROVIDERS_DIRECTORY = fileURLToPath(new URL('../providers', import.meta.url));

/** Files in the folder that are not providers. */
const NOT_PROVIDERS = new Set(['provider.schema.json']);

/**
 * Reads and checks every `<id>.json` of the folder: at start, so that a broken entry stops
 * Latchkey with the file and the problem instead of failing a user's flow later.
 */
export function loadCatalog(directory = PROVIDERS_DIRECTORY): Catalog {
  const files = readdirSync(directory)
    .filter((file) => file.endsWith('.json') && !NOT_PROVIDERS.has(file))
    .sort();
  return catalogOf(files.map((file) => readProviderFile(directory, file)));
}

function readProviderFile(directory: string, file: string): ProviderDefinition {
  const parsed = providerDefinitionSchema.safeParse(
    JSON.parse(readFileSync(join(directory, file), 'utf8')),
  );
  const problems = parsed.success
    ? checkProvider(parsed.data)
    : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  if (parsed.success && `${parsed.data.id}.json` !== file)
    problems.push('id must match the file name');
  if (!parsed.success || problems.length > 0) {
    throw new Error(`provider catalog: ${file}: ${problems.join('; ')}`);
  }
  return parsed.data;
}
