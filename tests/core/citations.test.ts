import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseReference } from "../../src/core/bibliography.ts";
import { findCitations } from "../../src/core/citationSyntax.ts";
import { createCitationEngine } from "../../src/core/citeproc.ts";
import { formatDiagnostic } from "../../src/core/diagnostics.ts";
import { parseFrontmatter } from "../../src/core/frontmatter.ts";
import { renderMarkdown } from "../../src/core/markdown.ts";
import { fixturePath } from "../support/fixtures.ts";
import { z } from "zod";

const keys = ["milletari2016", "ioffe2015"];
const engine = createCitationEngine(
  keys.map((key) => parseReference(readFileSync(fixturePath(`bibliography/content/bibliography/${key}.md`), "utf8"), `${key}.md`).reference!.csl),
);
const href = (key: string) => `/base/bibliography/#${key}`;

describe("findCitations", () => {
  it("findCitations(text) reads a bracketed citation with a page locator", () => {
    expect(findCitations("as shown [@milletari2016, p. 6].")).toEqual([
      { start: 9, end: 31, source: "[@milletari2016, p. 6]", narrative: false, items: [{ key: "milletari2016", locator: "6", label: "page" }] },
    ]);
  });

  it("findCitations(text) reads several works, prefixes, suffixes, section locators and -@ (year only)", () => {
    const [cluster] = findCitations("[see @ronneberger2015; @ioffe2015, sec. 3.3, for BN; -@zhang2021]");
    expect(cluster?.items).toEqual([
      { key: "ronneberger2015", prefix: "see" },
      { key: "ioffe2015", locator: "3.3", label: "section", suffix: ", for BN" },
      { key: "zhang2021", suppressAuthor: true },
    ]);
  });

  it("findCitations(text) reads narrative citations, with or without a locator, and not e-mail addresses", () => {
    expect(findCitations("@zhang2021 shows, as @milletari2016 [p. 6] notes; mail lab@example.org.").map((c) => [c.source, c.narrative, c.items])).toEqual([
      ["@zhang2021", true, [{ key: "zhang2021" }]],
      ["@milletari2016 [p. 6]", true, [{ key: "milletari2016", locator: "6", label: "page" }]],
    ]);
  });

  it("findCitations(text) leaves a key's trailing punctuation out, as Pandoc does", () => {
    expect(findCitations("See @ioffe2015.")[0]?.items[0]?.key).toBe("ioffe2015");
  });

  it("findCitations(text) ignores brackets without a key", () => {
    expect(findCitations("[not a citation] and [x]")).toEqual([]);
  });
});

describe("renderMarkdown", () => {
  it("renderMarkdown(text, file, {engine, href}) writes APA author–date citations, each work linked to its entry", async () => {
    const { html, citedKeys, diagnostics } = await renderMarkdown("Dice [@milletari2016, p. 6]; BN [@ioffe2015; @milletari2016]. @ioffe2015 says so.", "n.md", {
      engine,
      href,
      referenceList: false,
    });
    expect(diagnostics).toEqual([]);
    expect(citedKeys).toEqual(["milletari2016", "ioffe2015"]);
    expect(html).toBe(
      '<p>Dice <span class="citation" data-cites="milletari2016">(<a class="citation-ref" href="/base/bibliography/#milletari2016">Milletari et al., 2016, p. 6</a>)</span>; ' +
        'BN <span class="citation" data-cites="ioffe2015 milletari2016">(<a class="citation-ref" href="/base/bibliography/#ioffe2015">Ioffe &#x26; Szegedy, 2015</a>; <a class="citation-ref" href="/base/bibliography/#milletari2016">Milletari et al., 2016</a>)</span>. ' +
        '<span class="citation" data-cites="ioffe2015"><a class="citation-ref" href="/base/bibliography/#ioffe2015">Ioffe &#x26; Szegedy</a> (<a class="citation-ref" href="/base/bibliography/#ioffe2015">2015</a>)</span> says so.</p>',
    );
  });

  it("renderMarkdown(text, file, {engine, href}) appends an APA reference list of the cited works in APA order", async () => {
    const { html } = await renderMarkdown("[@milletari2016] and [@ioffe2015]", "n.md", { engine, href });
    const list = html.slice(html.indexOf('<section class="references">'));
    expect(list).toMatch(
      /^<section class="references"><h2>References<\/h2><ul class="references"><li class="csl-entry" data-key="ioffe2015">Ioffe, S., &#x26; Szegedy, C\. \(2015\)\. Batch Normalization/,
    );
    expect(list.indexOf('data-key="ioffe2015"')).toBeLessThan(list.indexOf('data-key="milletari2016"'));
    expect(list).toContain(
      '<i>2016 Fourth International Conference on 3D Vision (3DV)</i>, 565–571. <a href="https://doi.org/10.1109/3DV.2016.79">https://doi.org/10.1109/3DV.2016.79</a> <a class="reference-notes" href="/base/bibliography/#milletari2016">Notes</a>',
    );
  });

  it("renderMarkdown(text, file) leaves citations in code alone", async () => {
    const { html, citedKeys } = await renderMarkdown("`[@ioffe2015]`\n\n```\n@milletari2016\n```", "n.md", { engine, href });
    expect(citedKeys).toEqual([]);
    expect(html).not.toContain("citation");
  });

  it("renderMarkdown(fixture) reports an unknown citation key with the file and line, and marks it instead of printing ??", async () => {
    const file = "content/notes/unknown-key.md";
    const front = parseFrontmatter(readFileSync(fixturePath("bibliography/content/notes/unknown-key.md"), "utf8"), file, z.object({ title: z.string() }));
    const { html, diagnostics, citedKeys } = await renderMarkdown(front.body, file, { engine, href });
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'content/notes/unknown-key.md:8: warning: unknown citation key "@nobody2099" (expected the name of a file in the bibliography folder (without .md), got "[@nobody2099; @ioffe2015]")',
    ]);
    expect(html).toContain('<mark class="citation-unknown" title="unknown reference: nobody2099">[@nobody2099; @ioffe2015]</mark>');
    expect(html).not.toContain("??");
    expect(citedKeys).toEqual(["milletari2016", "ioffe2015"]);
  });

  it("renderMarkdown(text) typesets math with KaTeX and highlights R code with Shiki", async () => {
    const { html } = await renderMarkdown("$a^2$\n\n$$\n1 - \\frac{2x}{y}\n$$\n\n```r\nf <- function(x) 1 - x\n```\n", "n.md", { engine, href });
    expect(html).toContain('<span class="katex">');
    expect(html).toContain('<span class="katex-display">');
    expect(html).toMatch(/<pre class="shiki[^"]*"[^>]*><code><span class="line"><span style="color:#[0-9A-F]{6}/);
  });

  it("renderMarkdown(text) drops raw HTML, scripts, event handlers and javascript: links", async () => {
    const { html } = await renderMarkdown('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n[x](javascript:alert(1)) <b onclick="x()">b</b>', "n.md", {
      engine,
      href,
    });
    expect(html).not.toMatch(/script|onerror|onclick|javascript:/i);
  });
});
