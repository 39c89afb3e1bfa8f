import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../support/cli.ts";
import { repoRoot } from "../support/fixtures.ts";
import { useServedSite } from "../support/servedSite.ts";

// Each payload sets a flag instead of alert(), so a run that executes is caught
// even where dialogs are suppressed; alert() payloads are there too.
const img = (n: number) => `<img src=x onerror="window.__pwned=${n}">`;
const script = (n: number) => `<script>window.__pwned=${n};alert(${n})</script>`;

describe("a hostile archive: markup in names, headers, config and markdown never runs", () => {
  let summary = "";
  const site = useServedSite(async () => {
    const cwd = await tempDir("runsite-hostile-");
    const folder = path.join(cwd, "runs", "2024-01-01", `net${img(1)}`, `data"'><b>`);
    await mkdir(folder, { recursive: true });
    const stem = `net${img(1)}_Adam_data"'><b>_E3_${script(2).replace(/\//g, "∕")}`;
    const header = ["epoch", `loss${script(3).replace(/\//g, "∕")}`, `val_loss${script(3).replace(/\//g, "∕")}`, `dice${img(4)}`, `val_dice${img(4)}`]
      .map((h) => `"${h.replace(/"/g, '""')}"`)
      .join(",");
    await writeFile(path.join(folder, `${stem}.csv`), `${header}\r\n0,0.9,1.0,0.1,0.1\r\n1,0.7,0.8,0.5,0.4\r\n2,0.6,0.7,0.6,0.5\r\n`);
    await writeFile(
      path.join(folder, `${stem}.md`),
      `---\ntitle: "Title ${img(5)}"\nsubtitle: "<script>window.__pwned=6</script>"\n---\n\n${script(7)}\n\n${img(8)}\n\n[click me](javascript:window.__pwned=9)\n\n<a href="javascript:window.__pwned=10">raw link</a>\n`,
    );
    await writeFile(path.join(cwd, "runsite.config.json"), JSON.stringify({ title: `Lab ${script(11)}`, author: `${img(12)}` }));
    const result = await runCli(["build", "--content", path.join(repoRoot, "content"), "--out", "site"], cwd);
    expect(result.code, result.stderr).toBe(0);
    summary = result.stdout.trim().split("\n").at(-1)!;
    return path.join(cwd, "site");
  });

  it("the build reads the hostile file into a page", () => {
    expect(summary).toMatch(/^runsite: 1 files found \(1 read, 0 unreadable\), 1 experiments, 1 pages written/);
  });

  it("no page runs injected code, opens a dialog or sends a request off the site, and each has a strict CSP", async () => {
    const entries = await readdir(site.dist, { recursive: true, withFileTypes: true });
    const pages = entries.filter((e) => e.isFile() && e.name.endsWith(".html")).map((e) => path.relative(site.dist, path.join(e.parentPath, e.name)).split(path.sep).join("/"));
    expect(pages.some((p) => p.startsWith("experiments/"))).toBe(true);
    for (const file of pages) {
      const page = await site.browser.newPage();
      const incidents: string[] = [];
      page.on("dialog", (d) => {
        incidents.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });
      await page.route("**/*", (route) => {
        const url = new URL(route.request().url());
        if (url.origin !== new URL(site.url).origin) {
          incidents.push(`request off the site: ${url.href}`);
          return route.abort();
        }
        return route.continue();
      });
      const url = `${site.url}${file
        .replace(/index\.html$/, "")
        .split("/")
        .map(encodeURIComponent)
        .join("/")}`;
      await page.goto(url, { waitUntil: "load" });
      for (const link of await page.locator("a").all()) {
        const href = await link.getAttribute("href");
        if (href !== null && /^\s*javascript:/i.test(href)) incidents.push(`javascript: link ${href}`);
      }
      const pwned = await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned);
      if (pwned !== undefined) incidents.push(`payload ${pwned} ran`);
      const csp = await page.locator('meta[http-equiv="content-security-policy"]').getAttribute("content");
      expect(csp, file).toMatch(/default-src 'self'.*script-src 'self'/);
      expect(incidents, file).toEqual([]);
      await page.close();
    }
  });

  it("the names are shown as text, escaped in HTML, SVG, JSON and the search index", async () => {
    const entries = await readdir(path.join(site.dist, "experiments"), { recursive: true, withFileTypes: true });
    const html = await readFile(path.join(entries.find((e) => e.name === "index.html")!.parentPath, "index.html"), "utf8");
    // Parsed as a browser would: markup inside attribute values is inert text.
    const { document } = new JSDOM(html).window;
    expect([...document.querySelectorAll("*")].flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`))).toEqual([]);
    expect(document.querySelectorAll('img[src="x"], b').length).toBe(0);
    // No script holds a payload: the page carries no JSON of its own; the figure's values (and the names) are read from history.json, as data.
    const scripts = [...document.querySelectorAll("script")];
    expect(scripts.filter((s) => s.textContent?.includes("__pwned"))).toEqual([]);
    expect(scripts.filter((s) => s.type === "application/json")).toHaveLength(0);
    const historyUrl = document.querySelector<HTMLElement>("figure[data-figure]")!.dataset["history"]!;
    const history = JSON.parse(await readFile(path.join(site.dist, decodeURIComponent(historyUrl)), "utf8")) as { series: { name: string }[] };
    expect(history.series.map((s) => s.name)).toContain(`loss${script(3).replace(/\//g, "∕")}`);
    expect(document.querySelector("figcaption .stem")!.textContent).toContain(`net${img(1)}_Adam_data`);
    // The readout writes names with textContent: hovering shows the payload as text and runs nothing.
    const hover = await site.browser.newPage();
    const hoverErrors: string[] = [];
    hover.on("pageerror", (e) => hoverErrors.push(e.message));
    await hover.goto(`${site.url}${path.relative(site.dist, entries.find((e) => e.name === "index.html")!.parentPath)}/`);
    const panel = hover.locator(".panel svg.runsite-panel").first();
    const box = (await panel.boundingBox())!;
    await hover.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect(hover.locator('[role="tooltip"]:visible .name').allTextContents()).resolves.toContain(`loss${script(3).replace(/\//g, "∕")}`);
    expect(await hover.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(hoverErrors).toEqual([]);
    await hover.close();
    const page = await site.browser.newPage();
    await page.goto(`${site.url}`);
    await expect(page.locator("header .brand").innerText()).resolves.toBe(`Lab ${script(11)}`);
    // The index's rows are built from /runs.json with textContent: the names show as text, in cells, links and labels.
    await page.waitForSelector('table.experiments[data-state="ready"]');
    await expect(page.locator("table.experiments td.stem").innerText()).resolves.toContain(`net${img(1)}_Adam_data"'><b>_E3_`);
    await expect(page.locator('table.experiments th[data-key="model"]').count()).resolves.toBe(1);
    await expect(page.locator("table.experiments tbody td a", { hasText: `net${img(1)}` }).count()).resolves.toBeGreaterThanOrEqual(2);
    await expect(page.locator("table.experiments tbody img, table.experiments tbody b, table.experiments tbody script").count()).resolves.toBe(0);
    await expect(page.getByRole("checkbox", { name: `Compare net${img(1)}_Adam_data"'><b>_E3_${script(2).replace(/\//g, "∕")}` }).count()).resolves.toBe(1);
    await page.locator('input[name="q"]').fill("onerror");
    await expect(page.locator(".table-controls output").innerText()).resolves.toBe("1 experiments");
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.close();
    const index = await readdir(path.join(site.dist, "pagefind"), { recursive: true });
    expect(index.length).toBeGreaterThan(0);
  });
});
