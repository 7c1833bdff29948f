import { github } from './github';
import type { ProviderQuirks } from './provider-quirks';

/** Every quirk module by the name catalog entries use in `quirks`. */
export const QUIRKS: Readonly<Record<string, ProviderQuirks>> = { github };

export {
  type ApiAnswer,
  DEAD_TOKEN_ANSWER_MAX_BYTES,
  type ProviderQuirks,
  type QuirkFetch,
  type QuirkRevocation,
} from './provider-quirks';
