import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EchoedRequest {
  method: string | undefined;
  url: string | undefined;
  /** As on the wire: repeated headers stay repeated, so "exactly one Authorization" is checkable. */
  rawHeaders: string[];
  headers: IncomingHttpHeaders;
  bodyBytes: number;
}

export interface EchoUpstream {
  url: string;
  requests: EchoedRequest[];
  stop(): Promise<void>;
}

/**
 * Headers that act on the origin serving them, each with a hostile value: the browser keeps
 * their effect for Latchkey's whole origin (reporting endpoints, service-worker scope, client
 * hints, login status, pins, other protocols' endpoints) or widens who may read or load it.
 */
export const ORIGIN_STATE_HEADERS = {
  nel: '{"report_to":"evil","max_age":31536000,"include_subdomains":true}',
  'report-to': '{"group":"evil","max_age":31536000,"endpoints":[{"url":"https://evil.example/r"}]}',
  'reporting-endpoints': 'evil="https://evil.example/r"',
  'service-worker-allowed': '/',
  'clear-site-data': '"cookies", "storage"',
  'timing-allow-origin': '*',
  'accept-ch': 'Sec-CH-UA-Full-Version-List, Sec-CH-UA-Platform-Version',
  'critical-ch': 'Sec-CH-UA-Full-Version-List',
  'set-login': 'logged-out',
  'origin-trial': 'evil-token',
  'speculation-rules': '"/evil-rules.json"',
  'supports-loading-mode': 'credentialed-prerender, fenced-frame',
  'public-key-pins': 'pin-sha256="AAAA"; max-age=31536000',
  'alt-svc': 'h3=":443"; ma=86400',
  'feature-policy': 'camera *',
  'document-policy': 'force-load-at-top',
  'document-isolation-policy': 'isolate-and-credentialless',
};

/**
 * A hostile value for each security header Latchkey sets on every answer: a proxied answer
 * must carry Latchkey's own value instead.
 */
export const SECURITY_HEADER_OVERRIDES = {
  'x-frame-options': 'ALLOWALL',
  'x-content-type-options': 'sniff',
  'x-dns-prefetch-control': 'on',
  'x-download-options': 'open',
  'x-permitted-cross-domain-policies': 'all',
  'x-xss-protection': '1',
  'referrer-policy': 'unsafe-url',
  'strict-transport-security': 'max-age=0',
  'cross-origin-opener-policy': 'unsafe-none',
  'cross-origin-resource-policy': 'cross-origin',
  'origin-agent-cluster': '?0',
};

/**
 * Response headers a proxy must not pass back to the browser: hop-by-hop ones (RFC 9110
 * §7.6.1), cookies, and anything that would loosen or replace Latchkey's own policies for
 * its origin (CSP, framing, sniffing, CORS) or act on it (Clear-Site-Data, Refresh).
 */
export const UPSTREAM_RESPONSE_HEADERS = {
  ...ORIGIN_STATE_HEADERS,
  ...SECURITY_HEADER_OVERRIDES,
  'set-cookie': ['upstream_session=stolen; Path=/; HttpOnly', 'tracker=1; Path=/'],
  connection: 'x-upstream-hop',
  'x-upstream-hop': 'hop-by-hop, named in Connection',
  'keep-alive': 'timeout=5',
  'content-security-policy': "script-src 'unsafe-inline' *",
  'access-control-allow-origin': 'https://evil.example',
  'access-control-allow-credentials': 'true',
  refresh: '0; url=https://evil.example/',
  'cache-control': 'public, max-age=600, s-maxage=3600',
  'x-upstream-kept': 'end-to-end',
};

/**
 * An API that accepts any credential: it records every request (with its raw headers) and
 * answers 200 with what it received, plus headers a proxy must filter out. Stands in for
 * APIs with static credentials, which the introspecting resource API would refuse.
 * `echo: false` answers `{}` instead, for tests that look for credentials in answers.
 */
export async function startEchoUpstream(options: { echo?: boolean } = {}): Promise<EchoUpstream> {
  const requests: EchoedRequest[] = [];
  const server = createServer(async (request, response) => {
    let bodyBytes = 0;
    for await (const chunk of request) bodyBytes += (chunk as Buffer).length;
    const echoed = {
      method: request.method,
      url: request.url,
      rawHeaders: request.rawHeaders,
      headers: request.headers,
      bodyBytes,
    };
    requests.push(echoed);
    // The caller picks the challenge, to check which ones reach a browser.
    const challenge = request.headers['x-echo-www-authenticate'];
    response.writeHead(200, {
      ...UPSTREAM_RESPONSE_HEADERS,
      ...(challenge === undefined ? {} : { 'www-authenticate': challenge }),
      'content-type': 'application/json',
    });
    response.end(options.echo === false ? '{}' : JSON.stringify(echoed));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The values of one header in raw (name, value, name, value…) form, any case. */
export function rawHeaderValues(rawHeaders: string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() === name) values.push(rawHeaders[i + 1] ?? '');
  }
  return values;
}
