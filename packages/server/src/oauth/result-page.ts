import { ERROR_CODES, type ErrorCode } from '@latchkey/core';
import { OAUTH_CALLBACK_SCRIPT_PATH } from './paths';

export interface ResultPageInput {
  status: 'success' | 'error';
  connectorId: string | null;
  error?: ErrorCode;
}

/** The headers of the result page: no inline code, nothing from elsewhere, never cached. */
export const RESULT_PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

/**
 * The page a new-tab flow lands on. The result travels in data-* attributes; the static
 * script posts it on the BroadcastChannel. Messages are our own, never provider text.
 */
export function renderResultPage(input: ResultPageInput): string {
  const title = input.status === 'success' ? 'Connected' : 'Connection failed';
  const message =
    input.status === 'success'
      ? 'Your account is connected. This window closes by itself.'
      : (ERROR_CODES[input.error ?? 'internal_error'].message as string);
  const data = [
    `data-status="${input.status}"`,
    `data-connector-id="${escapeHtml(input.connectorId ?? '')}"`,
    input.error ? `data-error="${escapeHtml(input.error)}"` : '',
  ].join(' ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Latchkey</title>
</head>
<body>
<main id="oauth-result" ${data}>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p>
<p id="close-hint" hidden>You can close this window.</p>
</main>
<script src="${OAUTH_CALLBACK_SCRIPT_PATH}"></script>
</body>
</html>
`;
}
