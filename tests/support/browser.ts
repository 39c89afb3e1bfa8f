import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright";

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
