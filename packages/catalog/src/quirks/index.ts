import { dropbox } from './dropbox';
import { github } from './github';
import { notion } from './notion';
import type { ProviderQuirks } from './provider-quirks';
import { slack } from './slack';
import { strava } from './strava';

/** Every quirk module by the name catalog entries use in `quirks`. */
export const QUIRKS: Readonly<Record<string, ProviderQuirks>> = {
  dropbox,
  github,
  notion,
  slack,
  strava,
};

export {
  type ApiAnswer,
  DEAD_TOKEN_ANSWER_MAX_BYTES,
  type ProviderQuirks,
  type QuirkFetch,
  type QuirkRequest,
  type QuirkRevocation,
} from './provider-quirks';
