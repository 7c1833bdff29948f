import type { Readable } from 'node:stream';
import { LatchkeyError } from '@latchkey/core';

/** Bodies up to this size are buffered, so a request can be replayed after a token refresh. */
export const REPLAYABLE_BODY_BYTES = 1024 * 1024;

export type ProxyBody =
  | { kind: 'none' }
  | { kind: 'buffered'; data: Buffer }
  | { kind: 'streamed'; stream: Readable; length: number | undefined };

/**
 * Reads the caller's body: small ones into memory (replayable), large ones as a stream
 * (sent once). Bodies over the configured limit are refused before anything is sent.
 */
export async function readProxyBody(
  stream: Readable | undefined,
  contentLength: string | undefined,
  limitBytes: number,
): Promise<ProxyBody> {
  if (!stream) return { kind: 'none' };
  const length = contentLength === undefined ? undefined : Number(contentLength);
  if (length !== undefined && length > limitBytes) throw new LatchkeyError('proxy_body_too_large');
  if (length !== undefined && length <= REPLAYABLE_BODY_BYTES) {
    return { kind: 'buffered', data: await readAll(stream, limitBytes) };
  }
  return { kind: 'streamed', stream: limitStream(stream, limitBytes), length };
}

async function readAll(stream: Readable, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += (chunk as Buffer).length;
    if (total > limitBytes) throw new LatchkeyError('proxy_body_too_large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Fails the stream once it exceeds the limit (chunked bodies announce no length). */
function limitStream(stream: Readable, limitBytes: number): Readable {
  let total = 0;
  stream.on('data', (chunk: Buffer) => {
    total += chunk.length;
    if (total > limitBytes) stream.destroy(new LatchkeyError('proxy_body_too_large'));
  });
  return stream;
}
