import type { ProviderQuirks } from './provider-quirks';

/** Every quirk module by the name catalog entries use in `quirks`. */
export const QUIRKS: Readonly<Record<string, ProviderQuirks>> = {};

export type { ProviderQuirks } from './provider-quirks';
