import { pipeline, Transform } from 'node:stream';
import { LatchkeyError } from '@latchkey/core';
import type { UpstreamAnswer } from './dead-token-answer';

/**
 * The upstream body, passed through as it arrives, cut off past the configured limit (a
 * response that announces too large a length is refused before any byte is sent).
 */
export function limitedResponseBody(response: UpstreamAnswer, method: string, limitBytes: number) {
  // These answers have no body, whatever length they announce (RFC 9110 §9.3.2, §15.4.5).
  if (method === 'HEAD' || response.statusCode === 204 || response.statusCode === 304) {
    return response.body;
  }
  const announced = Number(response.headers['content-length'] ?? Number.NaN);
  if (announced > limitBytes) {
    response.body.destroy();
    throw new LatchkeyError('upstream_response_too_large');
  }
  // A body with a Content-Length within the limit needs no counting: undici fails a body
  // that runs past its announced length.
  if (Number.isFinite(announced)) return response.body;
  let total = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      if (total > limitBytes) callback(new LatchkeyError('upstream_response_too_large'));
      else callback(null, chunk);
    },
  });
  // pipeline, not pipe: a cut-off answer must also end the upstream request, or its pooled
  // connection would wait forever for a reader.
  return pipeline(response.body, counter, () => {});
}
