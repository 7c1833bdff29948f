import { createServer } from 'node:http';
import type { TestProvider } from '@latchkey/testing';
import { PROVIDER_CLIENT_SECRET } from './oauth-harness';
import type { TestService } from './test-service';

/** The body of a per-user connector that knows only its issuer and discovers the rest. */
export function discoveryConnectorBody(issuer: string, name = `Discovery ${Math.random()}`) {
  return {
    name,
    provider: 'custom',
    authMode: 'per-user',
    config: {
      issuer,
      discovery: true,
      scope: 'openid read write',
      clientId: 'latchkey',
      apiBaseUrl: `${issuer}/api/`,
    },
    secrets: { clientSecret: PROVIDER_CLIENT_SECRET },
  };
}

export function saveDiscoveryConnector(service: TestService, issuer: string) {
  return service.asAdmin({
    method: 'POST',
    url: '/api/connectors',
    body: discoveryConnectorBody(issuer),
  });
}

export async function createDiscoveryConnector(service: TestService, issuer: string) {
  const response = await saveDiscoveryConnector(service, issuer);
  if (response.statusCode !== 201) throw new Error(`connector not created: ${response.body}`);
  return response.json().id as string;
}

/** oidc-provider's metadata, as a stand-in server would copy it. */
export async function metadataOf(provider: TestProvider): Promise<Record<string, unknown>> {
  const response = await fetch(`${provider.issuer}/.well-known/openid-configuration`);
  return (await response.json()) as Record<string, unknown>;
}

export interface MetadataStub {
  url: string;
  /** Every path requested, in order. */
  requests: string[];
  /** Serves this JSON at this path (200); every other path answers 404. */
  serve(path: string, document: Record<string, unknown>): void;
  clear(): void;
  stop(): Promise<void>;
}

/** A metadata server on loopback answering whatever a test (or an attacker) wants it to. */
export async function startMetadataStub(): Promise<MetadataStub> {
  const documents = new Map<string, Record<string, unknown>>();
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const document = documents.get(request.url ?? '');
    if (!document) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    serve: (path, document) => void documents.set(path, document),
    clear: () => documents.clear(),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
