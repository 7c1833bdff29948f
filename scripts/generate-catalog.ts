import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  loadCatalog,
  PROVIDERS_DIRECTORY,
  providerJsonSchema,
  renderProvidersDoc,
} from '@latchkey/catalog';

/** Writes the files generated from the catalog; `catalog.test.ts` fails while they are stale. */
writeFileSync(
  join(PROVIDERS_DIRECTORY, 'provider.schema.json'),
  `${JSON.stringify(providerJsonSchema(), null, 2)}\n`,
);
writeFileSync(
  fileURLToPath(new URL('../docs/providers.md', import.meta.url)),
  renderProvidersDoc(loadCatalog().list()),
);
