/** Types for the one EUI internal module we reach into (see csp-nonce.ts). */
declare module '@elastic/eui/es/services/emotion/css' {
  import type { EmotionCache } from '@emotion/cache';
  export const cache: EmotionCache;
}
