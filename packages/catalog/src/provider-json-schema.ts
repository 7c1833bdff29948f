import { z } from 'zod';
import { providerDefinitionSchema } from './provider-definition';

/** The JSON Schema of a provider file, as editors and `provider.schema.json` see it. */
export function providerJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(providerDefinitionSchema, { io: 'input', target: 'draft-2020-12' });
}
