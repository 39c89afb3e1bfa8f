import { createRequire } from "node:module";
import type { Page } from "playwright";
import { describe, expect, it } from "vitest";
import { watchPage } from "../support/browser.ts";
import { useServedSample, type ServedSite } from "../support/servedSite.ts";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** The six kinds of page a reader meets, plus the compare view; each ready when `ready` is on the page. */
const pages = [
  { name: "index", path: "", ready: "table.experiments.enhanced" },
  {
    name: "experiment",
    path: "experiments/2021-03-12/unet_2d_mdice_ag/fat_768x384x1/unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20/",
    ready: ".figure-tools:not(:empty)",
    // The data table is drawn when its <details> opens: axe checks it drawn.
    open: "details.data > summary",
  },
  { name: "comparison", path: "compare/dropout/unet_2d_mdice/AdaDelta/fat_384x192x1/N48_E60_L4_FBL24/", ready: ".figure-tools:not(:empty)" },
  {
    name: "compare selected",
    path: "compare/selected/?run=2021-03-15/unet_2d_mdice/fat_384x192x1/unet_2d_mdice_AdaDelta_fat_384x192x1_N48_E60_L4_FBL24&run=2021-03-17/unet_2d_mdice/fat_384x192x1/unet_2d_mdice_Adam_fat_384x192x1_N48_E300_L3_FBL8",
    ready: "[data-compare-selected][data-ready]",
  },
  { name: "search with results", path: "search/?q=dice", ready: ".pagefind-ui__result" },
  { name: "bibliography", path: "bibliography/", ready: "main" },
  { name: "notes", path: "notes/", ready: "main" },
] as const;

/** axe-core's violations on the page as it is now: "rule: target" lines. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: axePath });
  const results = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(document, { resultTypes: ["violations"] });
  });
  return results.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`));
}

/** Opens `url` with the site's CSP bypassed, so axe-core can be injected as an inline script; the page's own scripts run as usual. */
async function openForAxe(site: ServedSite, url: string, colorScheme: "light" | "dark"): Promise<{ page: Page; errors: string[] }> {
  const context = await site.browser.newContext({ viewport: { width: 1200, height: 900 }, bypassCSP: true, colorScheme });
  const page = await context.newPage();
  const errors = watchPage(page);
  await page.goto(url, { waitUntil: "load" });
  return { page, errors };
}

describe("accessible and responsive pages in Chromium", () => {
  const site = useServedSample();

  for (const scheme of ["light", "dark"] as const) {
    it(`axe-core finds no violations on the six page kinds and the compare view (${scheme})`, async () => {
      const found: string[] = [];
      for (const p of pages) {
        const { page, errors } = await openForAxe(site, `${site.url}${p.path}`, scheme);
        await page.emulateMedia({ colorScheme: scheme });
        await page.waitForSelector(p.ready);
        if ("open" in p) {
          await page.click(p.open);
          await page.waitForSelector("details[open] table");
        }
        found.push(...(await axeViolations(page)).map((v) => `${p.name}: ${v}`));
        expect(errors, p.name).toEqual([]);
        await page.context().close();
      }
      expect(found).toEqual([]);
    });
  }

  it("at 375 px no page is wider than the screen; wide tables scroll in focusable, named containers", async () => {
    for (const p of pages) {
      const { page } = await site.open(`${site.url}${p.path}`, { width: 375 });
      await page.waitForSelector(p.ready);
      const layout = await page.evaluate(() => ({
        width: document.documentElement.scrollWidth,
        scrollers: [...document.querySelectorAll<HTMLElement>(".table-scroll")].map((s) => ({
          overflows: s.scrollWidth > s.clientWidth,
          tabIndex: s.tabIndex,
          name: s.getAttribute("aria-label") ?? "",
        })),
        panels: [...document.querySelectorAll(".panel svg.runsite-panel")].filter((s) => s.checkVisibility()).map((s) => s.getBoundingClientRect().width),
      }));
      expect(layout.width, p.name).toBeLessThanOrEqual(375);
      for (const s of layout.scrollers.filter((s) => s.overflows)) {
        expect(s.tabIndex, p.name).toBe(0);
        expect(s.name, p.name).not.toBe("");
      }
      // Figures go one panel per row, at nearly the screen's width (ticks stay legible).
      for (const w of layout.panels) expect(w, p.name).toBeGreaterThan(300);
      await page.context().close();
    }
  });

  it("a skip link is the first thing a keyboard reaches, and it moves focus to the content", async () => {
    const { page, errors } = await site.open(site.url);
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => [document.activeElement?.textContent, (document.activeElement as HTMLAnchorElement | null)?.hash]);
    expect(focused).toEqual(["Skip to content", "#main"]);
    await page.keyboard.press("Enter");
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe("main");
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
