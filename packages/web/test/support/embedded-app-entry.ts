import { createLatchkeyClient, isLatchkeyApiError, readCallerConnector } from '@latchkey/sdk';

/**
 * What an app's page does with a connect session's token (headless SDK, no React): read the
 * session and a connector's status from Latchkey's origin. Exposed for the test to call.
 */
const clientFor = (baseUrl: string, token: string) =>
  createLatchkeyClient({ baseUrl, connectSessionToken: token });

export async function readSession(baseUrl: string, token: string) {
  try {
    const session = await clientFor(baseUrl, token).getConnectSession();
    return { ok: true, externalId: session.endUser.externalId, count: session.connectors.length };
  } catch (error) {
    return { ok: false, code: isLatchkeyApiError(error) ? error.code : 'unknown' };
  }
}

export async function readStatus(baseUrl: string, token: string, connectorId: string) {
  return (await readCallerConnector(clientFor(baseUrl, token), connectorId))?.userAuthStatus;
}
