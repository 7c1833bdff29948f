import { connect, createServer, type Server, type Socket } from 'node:net';
import { freePort } from './spawned-service';

/** What the switch does with connections: pass them on, refuse them, or swallow their bytes. */
export type SwitchPosition = 'on' | 'off' | 'silent';

export interface TcpSwitch {
  /** The loopback port clients connect to. */
  port: number;
  /**
   * `on` forwards (listening again if it was off). `off` closes every connection and stops
   * listening, so new ones are refused. `silent` keeps connections open and drops what
   * clients send: a server that hangs.
   */
  set(position: SwitchPosition): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A loopback TCP forwarder in front of `targetPort` that a test turns off and on, to take a
 * shared server (Redis) away from the code under test without stopping it for anyone else.
 */
export async function startTcpSwitch(targetPort: number): Promise<TcpSwitch> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let position: SwitchPosition = 'on';
  let server: Server | undefined;

  const forward = (client: Socket) => {
    const target = connect(targetPort, '127.0.0.1');
    for (const socket of [client, target]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
    }
    client.on('data', (chunk) => {
      if (position === 'on') target.write(chunk);
    });
    target.pipe(client);
    client.on('close', () => target.destroy());
    target.on('close', () => client.destroy());
  };
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer(forward);
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });

  await listen();
  return {
    port,
    async set(next) {
      if (next === 'off') await close();
      else if (!server) await listen();
      position = next;
    },
    stop: close,
  };
}
