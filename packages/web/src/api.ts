import { createLatchkeyClient } from '@latchkey/sdk';

/** The same-origin client the whole UI shares (session cookie, JSON bodies). */
export const client = createLatchkeyClient();
