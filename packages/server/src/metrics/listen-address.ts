/** Where a listener binds: an address or host name, and a port (0: any free port). */
export interface ListenAddress {
  host: string;
  port: number;
}

/**
 * `host:port`, with an IPv6 address in brackets (`[::1]:9464`) as in a URL authority
 * (RFC 3986 §3.2.2). Throws a message saying what was expected.
 */
export function parseListenAddress(value: string): ListenAddress {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(value);
  const port = Number(match?.[3]);
  if (!match || port > 65535) {
    throw new Error('host:port such as 127.0.0.1:9464 or [::1]:9464, or off');
  }
  return { host: match[1] ?? (match[2] as string), port };
}

/** The address as an operator writes it, brackets around IPv6. */
export function formatListenAddress({ host, port }: ListenAddress): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
