import type { BrowserContext, Page } from 'playwright-core';

export interface PageWatch {
  /** Requests from our pages to any origin other than Latchkey's. */
  offOrigin: string[];
  /** `securitypolicyviolation` events and CSP console errors, from every page. */
  cspViolations: string[];
}

/**
 * Records what must never happen: a request from our pages to another origin (the provider's
 * pages in the flow tab are the provider's own, so requests made *by* provider pages are
 * excluded), and any Content-Security-Policy violation.
 */
export async function watchContext(context: BrowserContext, baseUrl: string): Promise<PageWatch> {
  const watch: PageWatch = { offOrigin: [], cspViolations: [] };
  const origin = new URL(baseUrl).origin;
  await context.exposeBinding('__reportCspViolation', (_source, text: string) => {
    watch.cspViolations.push(text);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __reportCspViolation: (t: string) => void })
        .__reportCspViolation;
      report(`${event.violatedDirective} ${event.blockedURI} on ${location.href}`);
    });
  });
  const track = (page: Page) => {
    page.on('request', (request) => {
      const frameUrl = request.frame().url();
      const fromOurPage = frameUrl.startsWith(origin) || frameUrl === 'about:blank';
      const target = new URL(request.url());
      if (fromOurPage && target.origin !== origin && request.isNavigationRequest() === false) {
        watch.offOrigin.push(`${frameUrl} -> ${request.url()}`);
      }
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) watch.cspViolations.push(message.text());
    });
  };
  context.on('page', track);
  for (const page of context.pages()) track(page);
  return watch;
}
