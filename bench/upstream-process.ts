import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveParent } from './parent-channel';

/**
 * The third-party API stand-in: a trivial keep-alive JSON server. It does not check the
 * bearer token (no introspection), so the proxy figures measure the proxy, not the API.
 */
const BODY = JSON.stringify({ ok: true, items: [{ id: 1, name: 'one' }] });

const server = createServer((_request, response) => {
  response.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(BODY),
  });
  response.end(BODY);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  serveParent(`http://127.0.0.1:${port}`, { stop: () => server.close() });
});
