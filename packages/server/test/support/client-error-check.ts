import { ERROR_CODES, type ErrorCode, statusesOf } from '@latchkey/core';
import type { LightMyRequestResponse } from 'fastify';

export interface Expectation {
  /** Accept any status below 500 (a valid request may well succeed). */
  lenient?: boolean;
  /** Accept a 2xx too (routes that are idempotent on purpose). */
  allowSuccess?: boolean;
  /** The 4xx must carry one of these codes. */
  codes?: readonly string[];
}

export interface SentRequest {
  label: string;
  response: LightMyRequestResponse;
  expect: Expectation;
}

/**
 * What is wrong with a response to bad input, or undefined when it is a proper client
 * error: a 4xx whose body is `{"error":{"code","message"}}` with a registered code and the
 * registry's status. Browser pages (HTML, such as the OAuth result page) may answer in HTML,
 * but must never reflect markup from the request.
 */
export function clientErrorProblem(sent: SentRequest, method: string): string | undefined {
  const { label, response, expect } = sent;
  const status = response.statusCode;
  const where = `${label} → ${status} ${response.body.slice(0, 160)}`;
  if (status >= 500) return where;
  const success = status >= 200 && status < 400;
  if (!expect.lenient && !(status >= 400 || (expect.allowSuccess && success))) return where;
  if (status < 400 || method === 'HEAD') return undefined;
  if (String(response.headers['content-type']).startsWith('text/html')) {
    return response.body.includes('<script>') ? `${where}: reflects markup` : undefined;
  }
  let body: { error?: { code?: unknown; message?: unknown } };
  try {
    body = response.json();
  } catch {
    return `${where}: not JSON`;
  }
  const code = body.error?.code;
  if (Object.keys(body).join() !== 'error' || typeof body.error?.message !== 'string') {
    return `${where}: not {"error":{"code","message"}}`;
  }
  if (typeof code !== 'string' || !(code in ERROR_CODES)) return `${where}: unregistered code`;
  if (!statusesOf(code as ErrorCode).includes(status)) {
    return `${where}: status differs from the registry's for ${code}`;
  }
  if (expect.codes && !expect.codes.includes(code)) {
    return `${where}: expected ${expect.codes.join(' or ')}`;
  }
  return undefined;
}
