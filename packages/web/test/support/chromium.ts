import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, selectors } from 'playwright-core';

/** Debian's chromium on PATH; Playwright's own browser download does not work here. */
function chromiumExecutable(): string {
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim();
    } catch {}
  }
  throw new Error('chromium is not installed: apt-get install -y chromium');
}

// Without the background-networking flags Chromium tries Google hosts the sandbox refuses.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** A fresh persistent profile per test file, so popups behave as in a real browser. */
export async function launchChromium(
  options: { ignoreHttpsErrors?: boolean } = {},
): Promise<BrowserContext> {
  // EUI's convention for test ids.
  selectors.setTestIdAttribute('data-test-subj');
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'latchkey-chromium-')), {
    executablePath: chromiumExecutable(),
    args: FLAGS,
    headless: true,
    viewport: { width: 1280, height: 800 },
    // The https tests' front has a self-signed certificate.
    ignoreHTTPSErrors: options.ignoreHttpsErrors ?? false,
  });
}
