import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { JSDOM } from "jsdom";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../support/cli.ts";
import { repoRoot } from "../support/fixtures.ts";

/** A built page's comparison sections (their ids) and list rows (their links), and its list's page navigation. */
async function links(site: string, page: string): Promise<{ sections: string[]; rows: string[]; pages: string[]; current: string[] }> {
  const { document } = new JSDOM(await readFile(path.join(site, page), "utf8")).window;
  const hrefs = (selector: string) => [...document.querySelectorAll(selector)].map((a) => a.getAttribute("href") ?? a.textContent ?? "");
  return {
    sections: [...document.querySelectorAll("section.comparison-group")].map((s) => s.id),
    rows: hrefs("table.comparisons tbody td:first-child a"),
    pages: hrefs("nav.comparison-pages a"),
    current: hrefs("nav.comparison-pages [aria-current=page]"),
  };
}

describe("an archive with more than 100 comparisons of one kind", () => {
  let site = "";
  beforeAll(async () => {
    // 101 settings, each run without and with dropout: 101 dropout ablations, and one of the
    // training samples for each dropout value, 103 in all.
    const cwd = await tempDir("runsite-compare-list-");
    const folder = path.join(cwd, "runs", "2024-01-01", "net", "data");
    await mkdir(folder, { recursive: true });
    for (let n = 1; n <= 101; n++) {
      for (const dr of ["", "_DR40"]) await writeFile(path.join(folder, `net_Adam_data_N${n}_E3${dr}.csv`), "epoch,loss,val_loss\n0,0.9,1.0\n1,0.7,0.8\n");
    }
    await writeFile(path.join(cwd, "runsite.config.json"), JSON.stringify({ comparisonsDrawAtBuild: 0 }));
    const result = await runCli(["build", "--content", path.join(repoRoot, "content"), "--out", "site"], cwd);
    expect(result.code, result.stderr).toBe(0);
    site = path.join(cwd, "site");
  });

  it("/compare/ gives the count and what varies, and links the kind's pages instead of listing it", async () => {
    const index = await links(site, "compare/index.html");
    expect(index.rows).toEqual([]);
    expect(index.pages).toEqual(["/compare/ablations/", "/compare/ablations/2/", "/compare/ablations/3/"]);
    const text = (await readFile(path.join(site, "compare/index.html"), "utf8")).replace(/<[^>]+>/g, "");
    expect(text).toContain("103 in all: Training samples 2 · Dropout 101.");
  });

  it("/compare/ablations/, /2/ and /3/ hold every comparison once as a section, 50 a page, each page marking itself", async () => {
    const pages = await Promise.all(["", "2/", "3/"].map((n) => links(site, `compare/ablations/${n}index.html`)));
    expect(pages.map((p) => p.sections.length)).toEqual([50, 50, 3]);
    expect(pages.map((p) => p.rows)).toEqual([[], [], []]);
    expect(pages.map((p) => p.current)).toEqual([["1–50"], ["51–100"], ["101–103"]]);
    expect(pages[0]!.pages).toEqual(["/compare/ablations/2/", "/compare/ablations/3/"]);
    const all = pages.flatMap((p, i) => p.sections.map((id) => [id, `/compare/ablations/${i === 0 ? "" : `${i + 1}/`}#${id}`] as const));
    expect(new Set(all.map(([id]) => id)).size).toBe(103);
    // Each section has its figure (drawn in the browser) and its table; each comparison's own address sends the reader to its section.
    const first = new JSDOM(await readFile(path.join(site, "compare/ablations/index.html"), "utf8")).window.document;
    for (const section of first.querySelectorAll("section.comparison-group")) {
      expect(section.querySelectorAll("figure[data-comparison-figure] script[data-comparison], table.comparison").length, section.id).toBe(2);
    }
    for (const [id, home] of all) {
      const redirect = new JSDOM(await readFile(path.join(site, "compare", id, "index.html"), "utf8")).window.document;
      expect(redirect.querySelector('meta[http-equiv="refresh"]')?.getAttribute("content"), id).toBe(`0; url=${home}`);
      expect(redirect.querySelector("body a")?.getAttribute("href"), id).toBe(home);
      // The site's icon, or the browser asks for a /favicon.ico that is not there.
      expect(redirect.querySelector('link[rel="icon"]')?.getAttribute("href"), id).toBe("/favicon.svg");
    }
  });
});
