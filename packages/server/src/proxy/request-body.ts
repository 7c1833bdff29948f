import { type Readable, Transform } from 'node:stream';
import { LatchkeyError } from '@latchkey/core';

/** Bodies up to this size are buffered, so a request can be replayed after a token refresh. */
const REPLAYABLE_BODY_BYTES = 1024 * 1024;

export type ProxyBody =
  | { kind: 'none' }
  | { kind: 'buffered'; data: Buffer }
  | { kind: 'streamed'; stream: Readable; length: number | undefined };

/** A call without a body (Fastify hands the route none: a GET, say). */
export const NO_BODY: Readonly<ProxyBody> = Object.freeze({ kind: 'none' });

/**
 * Reads the caller's body: up to 1 MiB into memory (replayable, and checked against the
 * limit before anything is sent), larger ones as a stream (sent once). A chunked body
 * announces no length: it is buffered while it stays within 1 MiB, and streams on past it.
 * Bodies announced over the configured limit are refused before anything is read. Every
 * buffered byte is first reserved with `reserve` (the instance's cap), an announced length
 * at once, before reading.
 */
export async function readProxyBody(
  stream: Readable,
  contentLength: string | undefined,
  limitBytes: number,
  reserve: (bytes: number) => void,
): Promise<ProxyBody> {
  const length = contentLength === undefined ? undefined : Number(contentLength);
  if (length !== undefined && length > limitBytes) throw new LatchkeyError('proxy_body_too_large');
  if (length !== undefined && length > REPLAYABLE_BODY_BYTES) {
    return { kind: 'streamed', stream: limitStream(stream, limitBytes, []), length };
  }
  if (length !== undefined && Number.isSafeInteger(length)) {
    reserve(length);
    return bufferOrStream(stream, limitBytes, () => {});
  }
  return bufferOrStream(stream, limitBytes, reserve);
}

/** The whole body if it ends within 1 MiB, else a stream of what was read and the rest. */
function bufferOrStream(
  stream: Readable,
  limitBytes: number,
  reserveChunk: (bytes: number) => void,
): Promise<ProxyBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const stopReading = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', reject);
    };
    const onData = (chunk: Buffer) => {
      try {
        reserveChunk(chunk.length);
      } catch (error) {
        stopReading();
        reject(error);
        return;
      }
      chunks.push(chunk);
      total += chunk.length;
      if (total > limitBytes) {
        stopReading();
        reject(new LatchkeyError('proxy_body_too_large'));
      } else if (total > REPLAYABLE_BODY_BYTES) {
        stopReading();
        const rest = limitStream(stream, limitBytes, chunks);
        resolve({ kind: 'streamed', stream: rest, length: undefined });
      }
    };
    const onEnd = () => {
      stopReading();
      resolve({ kind: 'buffered', data: Buffer.concat(chunks, total) });
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', reject);
  });
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
 * Fails the stream once it exceeds the limit (chunked bodies announce no length), counting
 * what was already read from it. A piped Transform, not a 'data' listener: a listener would
 * keep the caller's stream flowing, and every chunk arriving before the upstream request
 * reads it would be lost.
 */
function limitStream(stream: Readable, limitBytes: number, alreadyRead: Buffer[]): Readable {
  let total = 0;
  const limited = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      if (total > limitBytes) callback(new LatchkeyError('proxy_body_too_large'));
      else callback(null, chunk);
    },
  });
  stream.on('error', (error) => limited.destroy(error));
  for (const chunk of alreadyRead) limited.write(chunk);
  return stream.pipe(limited);
}
