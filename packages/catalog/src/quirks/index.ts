import { github } from './github';
import type { ProviderQuirks } from './provider-quirks';
import { slack } from './slack';

/** Every quirk module by the name catalog entries use in `quirks`. */
export const QUIRKS: Readonly<Record<string, ProviderQuirks>> = { github, slack };

export {
  type ApiAnswer,
  DEAD_TOKEN_ANSWER_MAX_BYTES,
  type ProviderQuirks,
  type QuirkFetch,
  type QuirkRevocation,
} from './provider-quirks';
