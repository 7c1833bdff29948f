import { type Readable, Transform } from 'node:stream';
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

/**
 * Reads and drops what is left of the caller's body once the answer is sent (a refusal
 * before forwarding, an API that answered before reading it all, the size limit). A body
 * left half-read wedges its keep-alive connection, and Node drains only bodies that nobody
 * started to read: this one was piped.
 */
export function discardUnreadBody(source: Readable | undefined): void {
  if (!source || source.readableEnded || source.destroyed) return;
  source.unpipe();
  source.resume();
}

/**
 * Fails the stream once it exceeds the limit (chunked bodies announce no length). A piped
 * Transform, not a 'data' listener: a listener would switch the caller's stream to flowing
 * mode at once, and every chunk arriving before the upstream request reads it would be lost.
 */
function limitStream(stream: Readable, limitBytes: number): Readable {
  let total = 0;
  const limited = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      if (total > limitBytes) callback(new LatchkeyError('proxy_body_too_large'));
      else callback(null, chunk);
    },
  });
  stream.on('error', (error) => limited.destroy(error));
  return stream.pipe(limited);
}
