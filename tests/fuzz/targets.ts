import { readFileSync } from "node:fs";
import fc from "fast-check";
import { fromHtml } from "hast-util-from-html";
import { visit } from "unist-util-visit";
import { parseReference } from "../../src/core/bibliography.ts";
import { createCitationEngine } from "../../src/core/citeproc.ts";
import { formats } from "../../src/core/history.ts";
import { parseHistory } from "../../src/core/load.ts";
import { renderMarkdown } from "../../src/core/markdown.ts";
import { fixturePath } from "../support/fixtures.ts";

// Shared by `npm run fuzz` (100 000 inputs per target) and `npm test` (a
// sample): each target is a property that must hold for every input.

/** Cells a training logger might write, and some it should not. */
const cell = fc.oneof(
  fc.double().map(String),
  fc.constantFrom("", "nan", "NaN", "inf", "-inf", "NA", "#na#", "1e309", "-0", "0x10", " 1.5 ", "1,5", '"[0.1, 0.2]"', "None", "<script>", "\u0000", "\ufeff"),
  fc.string({ maxLength: 8 }),
);
const name = fc.oneof(
  fc.constantFrom("epoch", "loss", "val_loss", "lr", "step", "train/box_loss", "metrics/mAP50(B)", "train_loss", "valid_loss", "time"),
  fc.string({ maxLength: 10 }),
);
const separator = fc.constantFrom(",", ";", "\t", " ");
const newline = fc.constantFrom("\n", "\r\n", "\r\r\n", "\r");

/** CSV-like text: a header and rows of cells, ragged and truncated at random. */
export const csvText = fc
  .tuple(fc.array(name, { minLength: 1, maxLength: 8 }), fc.array(fc.array(cell, { maxLength: 9 }), { maxLength: 30 }), separator, newline, fc.nat(40))
  .map(([header, rows, sep, nl, cut]) => {
    const text = [header, ...rows].map((r) => r.join(sep)).join(nl);
    return cut === 0 ? text.slice(0, Math.max(0, text.length - 3)) : text;
  });

/** A loader never throws, and answers with a history, a fatal diagnostic whose line is in the file, or why a recognised file has none. */
export const loaderProperty = fc.property(
  fc.oneof(
    csvText.map((t) => new TextEncoder().encode(t)),
    fc.uint8Array({ maxLength: 512 }),
    fc.string().map((t) => new TextEncoder().encode(t)),
  ),
  fc.constantFrom(null, ...formats),
  fc.constantFrom("runs/a.csv", "trainer_state.json", "events.out.tfevents.1.x", "metrics.csv", "results.csv", "history.csv"),
  (bytes, format, file) => {
    const { history, diagnostics, withoutHistory } = parseHistory(bytes, file, format);
    // A recognised file without history (a summary, a log without training) says why, with warnings only.
    if (history === null && !diagnostics.some((d) => d.fatal) && withoutHistory === undefined) throw new Error("no history and no fatal diagnostic");
    // Line ends as runsite counts them: \n, \r\n, \r\r\n and a lone \r (old Mac files).
    const lines = new TextDecoder().decode(bytes).split(/\r+\n?|\n/).length;
    for (const d of diagnostics) if (d.line < 0 || d.line > lines + 1) throw new Error(`diagnostic line ${d.line} outside the file (${lines} lines)`);
    for (const s of history?.series ?? []) if (s.x.length !== s.y.length) throw new Error(`series ${s.name}: x and y differ in length`);
  },
);

let engine: ReturnType<typeof createCitationEngine> | undefined;
function citationEngine() {
  return (engine ??= createCitationEngine(
    ["milletari2016", "ioffe2015"].map((key) => parseReference(readFileSync(fixturePath(`bibliography/content/bibliography/${key}.md`), "utf8"), `${key}.md`).reference!.csl),
  ));
}

/** Markdown with markup, math, code and citations mixed in. */
const markdownText = fc
  .array(
    fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom(
        "[@milletari2016, p. 6]",
        "@ioffe2015",
        "[@nobody]",
        "$$x^2$$",
        "$\\frac{a}{",
        "```r\nx <- 1\n```",
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[x](javascript:alert(1))",
        "\n\n",
        "# h",
        "- item",
        "---",
      ),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(""));

/** The markdown pipeline never throws and never lets a script or event handler through. */
export const markdownProperty = fc.asyncProperty(markdownText, async (text) => {
  const { html } = await renderMarkdown(text, "fuzz.md", { engine: citationEngine(), href: (key) => `/bibliography/#${key}` });
  // Parsed as a browser would (parse5, via hast): markup shown as text inside
  // code is harmless. (A jsdom window per input leaked ~1 MB each, even closed.)
  const tree = fromHtml(html, { fragment: true });
  visit(tree, "element", (el) => {
    if (["script", "iframe", "object", "embed", "form"].includes(el.tagName)) throw new Error(`unsafe element <${el.tagName}> from ${JSON.stringify(text)}`);
    for (const [name, value] of Object.entries(el.properties)) {
      if (/^on/i.test(name) || (typeof value === "string" && /^\s*javascript:/i.test(value)))
        throw new Error(`unsafe attribute ${name}="${String(value)}" from ${JSON.stringify(text)}`);
    }
  });
});
