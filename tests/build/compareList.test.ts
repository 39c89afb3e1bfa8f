import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { JSDOM } from "jsdom";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../support/cli.ts";
import { repoRoot } from "../support/fixtures.ts";

/** The links of a built page's comparison tables, and of its list's page navigation. */
async function links(site: string, page: string): Promise<{ rows: string[]; pages: string[]; current: string[] }> {
  const { document } = new JSDOM(await readFile(path.join(site, page), "utf8")).window;
  const hrefs = (selector: string) => [...document.querySelectorAll(selector)].map((a) => a.getAttribute("href") ?? a.textContent ?? "");
  return { rows: hrefs("table.comparisons tbody td:first-child a"), pages: hrefs("nav.comparison-pages a"), current: hrefs("nav.comparison-pages [aria-current=page]") };
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
    expect(index.pages).toEqual(["/compare/ablations/", "/compare/ablations/2/"]);
    const text = (await readFile(path.join(site, "compare/index.html"), "utf8")).replace(/<[^>]+>/g, "");
    expect(text).toContain("103 in all: Training samples 2 · Dropout 101.");
  });

  it("/compare/ablations/ and /compare/ablations/2/ list every comparison once, 100 a page, each page marking itself", async () => {
    const first = await links(site, "compare/ablations/index.html");
    const second = await links(site, "compare/ablations/2/index.html");
    expect([first.rows.length, second.rows.length]).toEqual([100, 3]);
    expect([first.current, second.current]).toEqual([["1–100"], ["101–103"]]);
    expect(first.pages).toEqual(["/compare/ablations/2/"]);
    const all = [...first.rows, ...second.rows];
    expect(new Set(all).size).toBe(103);
    for (const href of all) await expect(readFile(path.join(site, href, "index.html"), "utf8"), href).resolves.toContain("data-comparison-figure");
  });
});
