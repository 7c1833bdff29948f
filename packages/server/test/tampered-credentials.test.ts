import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from './support/api-keys';
import { queryDatabase, runStatement } from './support/database-queries';
import { type ProxyScene, startProxyScene } from './support/proxy-scene';

type Row = { credentials: string };

/**
 * A stored ciphertext altered behind the service's back (a bit flipped on disk, a row edited
 * by hand): every use is refused, nothing is sent anywhere with what it would decrypt to,
 * and the row is left as found for an operator to look at.
 */
describe('tampered stored tokens', () => {
  let scene: ProxyScene;
  let key: string;
  let tampered: string;

  beforeAll(async () => {
    scene = await startProxyScene();
    key = (await createApiKey(scene.service, ['proxy', 'tokens:read', 'on_behalf'])).key;
    expect((await scene.proxied('before')).statusCode).toBe(200);
    const [row] = await queryDatabase<Row>(scene.service, 'select credentials from connections');
    const parts = (row as Row).credentials.split('.');
    const ciphertext = parts[3] as string;
    // One character of the ciphertext changed: still well-formed base64url, wrong bytes.
    parts[3] = `${ciphertext[0] === 'A' ? 'B' : 'A'}${ciphertext.slice(1)}`;
    tampered = parts.join('.');
    await runStatement(scene.service, 'update connections set credentials = ?', tampered);
  });
  afterAll(() => scene.stop());

  it('refuses the proxy and _token, and nothing reaches the API or the provider', async () => {
    const apiBefore = scene.api.counts.requests;
    scene.provider.resetCounts();
    const proxied = await scene.proxied('after');
    const token = await scene.service.request({
      method: 'GET',
      url: `/api/connectors/${scene.connectorId}/_token`,
      headers: { authorization: `ApiKey ${key}`, 'x-latchkey-user': scene.user.userId },
    });
    for (const answer of [proxied, token]) {
      expect([answer.statusCode, answer.json().error.code]).toEqual([500, 'decryption_failed']);
      expect(answer.body).not.toContain(tampered);
    }
    expect(scene.api.counts.requests).toBe(apiBefore);
    expect(scene.provider.counts.token).toBe(0);
    const rows = await queryDatabase<Row>(scene.service, 'select credentials from connections');
    expect(rows).toEqual([{ credentials: tampered }]);
  });
});
