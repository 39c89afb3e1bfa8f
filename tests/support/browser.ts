import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright";

/**
 * Launches Chromium: `CHROMIUM_PATH` when set, else Debian's /usr/bin/chromium
 * when it exists (Playwright cannot download its own browser on machines
 * without internet), else Playwright's bundled browser.
 */
export function launchBrowser(): Promise<Browser> {
  const candidate = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
  const executablePath = existsSync(candidate) ? candidate : undefined;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  return chromium.launch({
    ...(executablePath !== undefined ? { executablePath } : {}),
    args: [
      ...(isRoot ? ["--no-sandbox"] : []),
      // The test machines have no network: keep Chromium from dialling out.
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/**
 * Records what a reader would see go wrong on a page: console errors,
 * uncaught exceptions, failed requests and HTTP errors. Returns the live list.
 */
export function watchPage(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => void (m.type() === "error" && errors.push(`console: ${m.text()}`)));
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  // A request the page itself abandoned (a reload while the favicon loads) is not something a reader sees fail.
  page.on("requestfailed", (r) => void (r.failure()?.errorText !== "net::ERR_ABORTED" && errors.push(`request failed: ${r.url()} (${r.failure()?.errorText})`)));
  page.on("response", (r) => void (r.status() >= 400 && errors.push(`HTTP ${r.status()}: ${r.url()}`)));
  return errors;
}
