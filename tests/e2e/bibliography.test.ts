import path from "node:path";
import { readFile } from "node:fs/promises";
import { Cite } from "@citation-js/core";
import "@citation-js/plugin-bibtex";
import type { Page } from "playwright";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../support/fixtures.ts";
import { useServedSample } from "../support/servedSite.ts";

const agSlug = "2021-03-12/unet_2d_mdice_ag/fat_768x384x1/unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20";
const base = "/lab/";

describe("bibliography, notes and citations in Chromium", () => {
  const site = useServedSample(["--base", base], base);
  const open = site.open;

  /** Clicks `link` and checks that the bibliography entry it names is the target, and on screen. */
  async function followCitation(page: Page, link: ReturnType<Page["locator"]>, key: string): Promise<void> {
    await expect(link.getAttribute("href")).resolves.toBe(`${base}bibliography/#${key}`);
    await Promise.all([page.waitForURL(`**/bibliography/#${key}`), link.click()]);
    expect(new URL(page.url()).hash).toBe(`#${key}`);
    const entry = page.locator(`article.reference[id="${key}"]`);
    await expect(entry.isVisible()).resolves.toBe(true);
    const box = await entry.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, height: window.innerHeight };
    });
    expect(box.top).toBeGreaterThanOrEqual(0);
    expect(box.top).toBeLessThan(box.height);
  }

  it("a citation in the experiment's sidecar links to its bibliography entry", async () => {
    const { page, errors } = await open(`${site.url}experiments/${agSlug}/`);
    const citation = page.locator("section.experiment-notes span.citation", { hasText: "Ioffe & Szegedy, 2015, p. 5" });
    await expect(citation.innerText()).resolves.toBe("(Ioffe & Szegedy, 2015, p. 5)");
    await expect(page.locator("section.experiment-notes section.references li").count()).resolves.toBe(2);
    await followCitation(page, citation.locator("a.citation-ref"), "ioffe2015");
    await expect(page.locator("#ioffe2015 .cited-by a").innerText()).resolves.toBe("Attention-gated U-Net with early stopping");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the experiment page offers BibTeX and APA to cite it, selectable without JavaScript, and Highwire meta tags", async () => {
    const { page, errors } = await open(`${site.url}experiments/${agSlug}/`);
    const blocks = page.locator("section.cite-experiment pre code");
    const [apa, bibtex] = await blocks.allInnerTexts();
    // No author configured and no CITATION.cff: APA starts with the title. Built without --site: the URL is a path, and the block says so.
    expect(apa).toMatch(/^Attention-gated U-Net with early stopping\. \(2021\)\. \[Dataset\]\. Experiment archive\. \/lab\/experiments\/2021-03-12\//);
    await expect(page.locator("section.cite-experiment .relative-url").innerText()).resolves.toMatch(
      /^The URL below is relative \(\/lab\/experiments\/2021-03-12\/.*\): this site was built without its address/,
    );
    expect(bibtex).toMatch(/^@misc\{unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20,/);
    expect(bibtex).toMatch(/year = \{2021\}/);
    expect(bibtex).toMatch(/howpublished = \{/);
    const original = await readFile(path.join(repoRoot, "runs", `${agSlug}.csv`));
    const { createHash } = await import("node:crypto");
    expect(bibtex).toContain(`SHA-256 of the history file: ${createHash("sha256").update(original).digest("hex")}`);
    await expect(page.locator("section.cite-experiment button.copy").count()).resolves.toBe(2);
    await expect(page.locator('meta[name="citation_title"]').getAttribute("content")).resolves.toBe("Attention-gated U-Net with early stopping");
    await expect(page.locator('meta[name="citation_publication_date"]').getAttribute("content")).resolves.toBe("2021/03/12");
    expect(errors).toEqual([]);
    await page.close();
    // Without JavaScript: the text is there, as text, with no button.
    const context = await site.browser.newContext({ javaScriptEnabled: false });
    const plain = await context.newPage();
    await plain.goto(`${site.url}experiments/${agSlug}/`);
    await expect(plain.locator("section.cite-experiment pre code").count()).resolves.toBe(2);
    await expect(plain.locator("section.cite-experiment button.copy").count()).resolves.toBe(0);
    await context.close();
  });

  it("the note page typesets its formula with KaTeX, highlights the R code, and its citation links to the entry", async () => {
    const { page, errors } = await open(`${site.url}notes/multilabel-balanced-dice-loss/`);
    await expect(page.locator(".markdown .katex-display .katex").count()).resolves.toBeGreaterThan(0);
    await expect(page.locator(".markdown .katex").first().isVisible()).resolves.toBe(true);
    const code = page.locator(".markdown pre.shiki code");
    await expect(code.innerText()).resolves.toContain("mbdice_loss <- function(y_true, y_pred, epsilon=0) {");
    const colours = await code.locator("span[style]").evaluateAll((spans) => new Set(spans.map((s) => getComputedStyle(s).color)).size);
    expect(colours).toBeGreaterThan(2);
    await expect(page.locator('meta[name="citation_title"]').getAttribute("content")).resolves.toBe("Multi-label balanced Dice loss");
    const citation = page.locator(".markdown span.citation", { hasText: "Milletari et al., 2016, p. 6" }).last();
    await expect(citation.innerText()).resolves.toBe("(Milletari et al., 2016, p. 6)");
    await followCitation(page, citation.locator("a.citation-ref"), "milletari2016");
    await expect(page.locator("#milletari2016 .cited-by a").innerText()).resolves.toBe("Multi-label balanced Dice loss");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("/bibliography/ lists the five references in APA order, with notes and a BibTeX snippet each", async () => {
    const { page, errors } = await open(`${site.url}bibliography/`);
    await expect(page.locator("article.reference").evaluateAll((as) => as.map((a) => a.id))).resolves.toEqual([
      "ioffe2015",
      "masters2018",
      "milletari2016",
      "ronneberger2015",
      "zhang2021",
    ]);
    await expect(page.locator("#ronneberger2015 .markdown").innerText()).resolves.toContain("W naszym przypadku nie to jest najmocniejszą stroną tego algorytmu.");
    await expect(page.locator("#zhang2021 details pre code").textContent()).resolves.toMatch(/^@article\{zhang2021,/);
    // Every DOI and URL in the entries is a link to itself.
    const entries = await page.locator("article.reference p.entry").evaluateAll((ps) =>
      ps.map((p) => ({
        urls: p.textContent!.match(/https?:\/\/\S+/g) ?? [],
        links: [...p.querySelectorAll("a:not(.anchor)")].map((a) => [a.textContent, a.getAttribute("href")]),
      })),
    );
    expect(entries).toHaveLength(5);
    for (const { urls, links } of entries) {
      expect(urls.length).toBeGreaterThan(0);
      expect(links).toEqual(urls.map((u) => [u, u]));
    }
    const dois = entries.flatMap((e) => e.urls).filter((u) => u.startsWith("https://doi.org/"));
    expect(dois).toHaveLength(4);
    // Each reference downloads alone as BibTeX and RIS.
    for (const key of ["ioffe2015", "zhang2021"]) {
      const bib = page.locator(`#${key} p.formats a`, { hasText: "BibTeX" });
      const ris = page.locator(`#${key} p.formats a`, { hasText: "RIS" });
      const bibText = await (await page.request.get(new URL((await bib.getAttribute("href"))!, site.url).href)).text();
      expect((new Cite(bibText).data as Array<Record<string, unknown>>).map((d) => d["citation-key"])).toEqual([key]);
      const risResponse = await page.request.get(new URL((await ris.getAttribute("href"))!, site.url).href);
      expect(risResponse.status()).toBe(200);
      const risText = await risResponse.text();
      expect(risText).toMatch(/^TY {2}- [A-Z]+\r\n/);
      expect(risText).toContain(`ID  - ${key}\r\n`);
      expect(risText.endsWith("ER  - \r\n")).toBe(true);
    }
    await Promise.all([page.waitForURL("**/notes/"), page.locator("header nav a", { hasText: "Notes" }).click()]);
    await expect(page.locator("ul.notes a").innerText()).resolves.toBe("Multi-label balanced Dice loss");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("/bibliography.bib parses back through citation-js to the same five references", async () => {
    const bib = await readFile(path.join(site.dist, "bibliography.bib"), "utf8");
    const data = new Cite(bib).data as Array<Record<string, unknown>>;
    expect(data.map((d) => [d["citation-key"], d["DOI"] ?? d["URL"]])).toEqual([
      ["ioffe2015", "https://proceedings.mlr.press/v37/ioffe15.html"],
      ["masters2018", "10.48550/arXiv.1804.07612"],
      ["milletari2016", "10.1109/3DV.2016.79"],
      ["ronneberger2015", "10.1007/978-3-319-24574-4_28"],
      ["zhang2021", "10.1145/3446776"],
    ]);
  });
});
