import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';

export interface TlsFront {
  close(): Promise<void>;
}

/** A self-signed certificate for localhost, made with openssl in `dir`. */
function localhostCertificate(dir: string): { key: Buffer; cert: Buffer } {
  const key = join(dir, 'localhost-key.pem');
  const cert = join(dir, 'localhost-cert.pem');
  // biome-ignore format: one option and its value per line would hide the command
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost',
    '-keyout', key, '-out', cert];
  execFileSync('openssl', args, { stdio: 'ignore' });
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

/**
 * TLS in front of Latchkey's plain listener, as a load balancer terminates it: the browser
 * sees an https origin, so `__Host-` cookies and `Secure` behave as in production.
 */
export async function startTlsFront(
  dir: string,
  listenPort: number,
  latchkeyPort: number,
): Promise<TlsFront> {
  const sockets = new Set<Socket>();
  const server: Server = createServer(localhostCertificate(dir), (socket) => {
    const inner = connect(latchkeyPort, '127.0.0.1');
    for (const each of [socket, inner]) {
      sockets.add(each);
      each.on('close', () => sockets.delete(each));
    }
    socket.pipe(inner).pipe(socket);
    socket.on('error', () => inner.destroy());
    inner.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(listenPort, 'localhost', resolve));
  return {
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
