import type { Browser, Page } from "playwright";
import { afterAll, beforeAll } from "vitest";
import { launchBrowser, watchPage } from "./browser.ts";
import { buildSample } from "./cli.ts";
import { serveStatic } from "./serve.ts";

/** The sample site, built, served on loopback and opened in Chromium for one test suite. */
export interface ServedSite {
  /** The built site's folder. */
  dist: string;
  /** The served site's address, ending in the base. */
  url: string;
  browser: Browser;
  /** Opens `url` in a new page, recording console errors, exceptions and failed requests while it is open. */
  open(url: string, options?: { javaScriptEnabled?: boolean; width?: number }): Promise<{ page: Page; errors: string[] }>;
}

/**
 * Builds the sample archive with `args` (as `runsite build` would) before the
 * suite's tests, serves it under `base` and launches Chromium; closes both
 * after. The returned object is filled in once `beforeAll` has run.
 */
export function useServedSample(args: string[] = [], base = "/"): ServedSite {
  return useServedSite(async () => (await buildSample(args)).dist, base);
}

/**
 * As `useServedSample`, for a site that `build` makes (it returns the built
 * folder): serves it under `base` and launches Chromium before the suite.
 */
export function useServedSite(build: () => Promise<string>, base = "/"): ServedSite {
  let server: Awaited<ReturnType<typeof serveStatic>> | undefined;
  const site = {
    dist: "",
    url: "",
    browser: undefined as unknown as Browser,
    async open(url: string, { javaScriptEnabled = true, width = 1200 } = {}) {
      const context = await site.browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled });
      const page = await context.newPage();
      const errors = watchPage(page);
      await page.goto(url, { waitUntil: "load" });
      return { page, errors };
    },
  };
  beforeAll(async () => {
    site.dist = await build();
    server = await serveStatic(site.dist, base);
    site.url = server.url;
    site.browser = await launchBrowser();
  });
  afterAll(async () => {
    await site.browser?.close();
    await server?.close();
  });
  return site;
}
