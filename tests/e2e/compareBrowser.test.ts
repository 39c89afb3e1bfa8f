import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { watchPage } from "../support/browser.ts";
import { buildSample, runCli, tempDir } from "../support/cli.ts";
import { repoRoot } from "../support/fixtures.ts";
import { useServedSite } from "../support/servedSite.ts";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const dropoutPair = "dropout/unet_2d_mdice/AdaDelta/fat_384x192x1/N48_E60_L4_FBL24";

/** Builds `runs` with the sample's settings and `comparisonsDrawAtBuild: 0`, as a larger archive would be; returns the folder holding the site and the cache. */
async function buildDrawnInBrowser(runs: string): Promise<string> {
  const cwd = await tempDir("runsite-compare-browser-");
  const config = JSON.parse(await readFile(path.join(repoRoot, "runsite.config.json"), "utf8")) as object;
  await writeFile(path.join(cwd, "runsite.config.json"), JSON.stringify({ ...config, comparisonsDrawAtBuild: 0 }));
  const result = await runCli(["build", "--runs", runs, "--content", path.join(repoRoot, "content"), "--out", "site"], cwd);
  expect(result.code, result.stderr).toBe(0);
  return cwd;
}

/**
 * What a comparison figure shows, per panel: its metric, its lines' colours
 * and tooltips, its early-stopping rules and rings. Self-contained: it runs in
 * jsdom (the build's figure) and in Chromium (the browser's).
 */
function figureSummary(root: ParentNode) {
  return [...root.querySelectorAll("figure.comparison svg.runsite-panel")].map((svg) => ({
    metric: svg.getAttribute("data-metric"),
    // Its first text: the page's script adds a log/linear button after it.
    title: svg.closest(".panel")?.querySelector(".panel-title")?.firstChild?.textContent,
    lines: [...svg.querySelectorAll('g[stroke-width="1.6"] > path')].map((p) => `${p.getAttribute("stroke")} ${p.querySelector("title")?.textContent ?? ""}`).sort(),
    rules: [...svg.querySelectorAll("g.overlay > line")].map((l) => `${l.getAttribute("stroke")} ${l.getAttribute("data-x")} ${l.textContent}`).sort(),
    rings: [...svg.querySelectorAll("g.overlay > circle")]
      .map((c) => `${c.getAttribute("stroke")} ${c.getAttribute("data-x")} ${c.getAttribute("data-y")} ${c.textContent}`)
      .sort(),
  }));
}

describe("comparison figures drawn in the browser (more comparisons than comparisonsDrawAtBuild)", () => {
  let cwd = "";
  let reference = "";
  const site = useServedSite(async () => {
    cwd = await buildDrawnInBrowser(path.join(repoRoot, "runs"));
    // The same sample with the default: its six figures drawn at build time.
    reference = (await buildSample()).dist;
    return path.join(cwd, "site");
  });

  it("the build draws no comparison figure: the figure cache holds the eleven experiments' only", async () => {
    const cached = async (root: string) =>
      (await readdir(path.join(root, ".runsite-cache", "figures"), { recursive: true, withFileTypes: true })).filter((e) => e.isFile() && e.name.endsWith(".svg"));
    expect(await cached(cwd)).toHaveLength(11);
    // The default draws the six comparisons too.
    expect(await cached(path.dirname(reference))).toHaveLength(17);
  });

  it("each comparison is a section of its kind's page, with no SVG and no figure data: its title, table and the page's line for readers without JavaScript", async () => {
    const html = await readFile(path.join(site.dist, "compare", "ablations", "index.html"), "utf8");
    const { document } = new JSDOM(html).window;
    expect([...document.querySelectorAll("section.comparison-group")].map((s) => s.id).toSorted()).toEqual(
      (await readdir(path.join(reference, "compare"), { recursive: true }))
        .filter((f) => f.endsWith("index.html") && f.split(path.sep).length > 2)
        .map((f) => path.dirname(f).split(path.sep).join("/"))
        .toSorted(),
    );
    expect(document.querySelectorAll("svg.runsite-panel, script[data-figure-data]")).toHaveLength(0);
    expect(html).not.toMatch(/<path /);
    expect(document.querySelectorAll("noscript")).toHaveLength(1);
    expect(document.querySelector("noscript")?.textContent).toContain("needs JavaScript");
    const section = document.getElementById(dropoutPair)!;
    expect(section.querySelector("h2")?.textContent).toBe(
      new JSDOM(await readFile(path.join(reference, "compare", dropoutPair, "index.html"), "utf8")).window.document.querySelector("h1")?.textContent,
    );
    expect(section.querySelectorAll("table.comparison tbody tr")).toHaveLength(2);
    // The section is a fraction of the page the build draws for the same comparison.
    expect(section.outerHTML.length).toBeLessThan((await readFile(path.join(reference, "compare", dropoutPair, "index.html"), "utf8")).length / 4);
    // Its own address is a redirect to the section, with a link for browsers that do not follow it.
    const redirect = new JSDOM(await readFile(path.join(site.dist, "compare", dropoutPair, "index.html"), "utf8")).window.document;
    expect(redirect.querySelector('meta[http-equiv="refresh"]')?.getAttribute("content")).toBe(`0; url=/compare/ablations/#${dropoutPair}`);
    expect(redirect.querySelector("a")?.getAttribute("href")).toBe(`/compare/ablations/#${dropoutPair}`);
  });

  it("in Chromium each of the six comparisons' addresses leads to its section, which draws the build's figure: the same panels, lines, colours, rules, rings and legend", async () => {
    const groups = (await readdir(path.join(reference, "compare"), { recursive: true })).filter((f) => f.endsWith("index.html") && f.split(path.sep).length > 2);
    expect(groups).toHaveLength(6);
    for (const file of groups) {
      const id = path.dirname(file).split(path.sep).join("/");
      const { document } = new JSDOM(await readFile(path.join(reference, "compare", file), "utf8")).window;
      const built = figureSummary(document);
      const legend = [...document.querySelectorAll("figure.comparison .figure-legend li")].map((li) => li.textContent!.trim());
      expect(built.length, id).toBeGreaterThan(0);
      const { page, errors } = await site.open(`${site.url}compare/${id}/`);
      await page.waitForURL(`${site.url}compare/ablations/#${id}`);
      const section = page.locator(`section[id="${id}"]`);
      await section.locator("figure.comparison[data-ready]").waitFor();
      const drawn = await section.evaluate(figureSummary);
      expect(drawn, id).toEqual(built);
      await expect(
        section.locator("figure.comparison .figure-legend li").evaluateAll((lis) => lis.map((li) => li.textContent!.trim())),
        id,
      ).resolves.toEqual(legend);
      // The crosshair of the build's figures works on these too.
      await expect(section.locator("figure.comparison [data-figure-tools] input[name=smooth]").count(), id).resolves.toBe(1);
      expect(errors, id).toEqual([]);
      await page.close();
    }
  });

  it("sections are drawn as the reader scrolls to them", async () => {
    const { page, errors } = await site.open(`${site.url}compare/ablations/`);
    const figures = page.locator("section.comparison-group figure.comparison");
    await expect(figures.count()).resolves.toBe(6);
    await figures.first().and(page.locator("[data-ready]")).waitFor();
    // Far below the window, the last one waits for the reader.
    await expect(figures.last().getAttribute("data-ready")).resolves.toBeNull();
    await expect(figures.last().locator("svg").count()).resolves.toBe(0);
    await figures.last().scrollIntoViewIfNeeded();
    await figures.last().and(page.locator("[data-ready]")).waitFor();
    await expect(figures.last().locator(".panel svg").count()).resolves.toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it.each(["light", "dark"] as const)("axe-core finds no violations on a kind's page drawn in the browser (%s)", async (colorScheme) => {
    const context = await site.browser.newContext({ viewport: { width: 1200, height: 900 }, bypassCSP: true, colorScheme });
    const page = await context.newPage();
    const errors = watchPage(page);
    await page.goto(`${site.url}compare/ablations/`, { waitUntil: "load" });
    // Draw every section before checking.
    for (const figure of await page.locator("figure.comparison").all()) {
      await figure.scrollIntoViewIfNeeded();
      await figure.and(page.locator("[data-ready]")).waitFor();
    }
    await page.addScriptTag({ path: axePath });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
      const result = await axe.run(document, { resultTypes: ["violations"] });
      return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`));
    });
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("/compare/ links the kind's page instead of listing the six comparisons", async () => {
    const { page, errors } = await site.open(`${site.url}compare/`);
    await expect(page.locator("table.comparisons tbody tr").count()).resolves.toBe(0);
    await expect(page.locator("nav.comparison-pages a").evaluateAll((as) => as.map((a) => a.getAttribute("href")))).resolves.toEqual(["/compare/ablations/"]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("a hostile run name in a comparison drawn in the browser", () => {
  const img = `<img src=x onerror="window.__pwned=1">`;
  const site = useServedSite(async () => {
    const runs = path.join(await tempDir("runsite-compare-hostile-"), "runs");
    const folder = path.join(runs, "2024-01-01", `net${img}`, "data");
    await mkdir(folder, { recursive: true });
    for (const dr of ["", "_DR40"]) {
      const header = ["epoch", `loss${img}`, `val_loss${img}`].map((h) => `"${h.replace(/"/g, '""')}"`).join(",");
      await writeFile(path.join(folder, `net${img}_Adam_data_N8_E3${dr}.csv`), `${header}\n0,0.9,1.0\n1,0.7,0.8\n2,0.6,0.9\n3,0.5,0.95\n4,0.4,0.99\n`);
    }
    return path.join(await buildDrawnInBrowser(runs), "site");
  });

  it("is drawn as text in the panels' tooltips and the legend, and never runs", async () => {
    const index = await readFile(path.join(site.dist, "compare", "index.html"), "utf8");
    const link = new JSDOM(index).window.document.querySelector("nav.comparison-pages a")!.getAttribute("href")!;
    const { page, errors } = await site.open(new URL(link, site.url).href);
    await expect(page.locator("section.comparison-group").count()).resolves.toBe(1);
    await page.locator("figure.comparison[data-ready]").waitFor();
    // The metric's name, with its markup, is the panel's title and part of each line's tooltip, as text.
    await expect(page.locator("figure.comparison .panel-title").evaluateAll((ps) => ps.map((p) => p.firstChild?.textContent))).resolves.toEqual([`loss${img}`]);
    const tooltips = await page.locator("figure.comparison svg.runsite-panel path title").allTextContents();
    expect(tooltips.toSorted()).toEqual([`Dropout 0% (2024-01-01): val_loss${img}`, `Dropout 40% (2024-01-01): val_loss${img}`]);
    // Both runs stop early (patience 3 after epoch 1): a rule and a ring each, named as text.
    await expect(page.locator("figure.comparison g.overlay > line").count()).resolves.toBe(2);
    await expect(page.locator("figure.comparison g.overlay > circle").count()).resolves.toBe(2);
    const rows = await page.locator("table.comparison a.stem").allTextContents();
    expect(rows.every((r) => r.includes(img))).toBe(true);
    // The legend, drawn by the page's script, names the runs as text.
    await expect(page.locator("figure.comparison .figure-legend li").count()).resolves.toBe(3);
    await expect(page.locator("figure.comparison img, table.comparison img").count()).resolves.toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(errors).toEqual([]);
    await page.close();
  });
});
