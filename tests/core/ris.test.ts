import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseBibliography, parseReference } from "../../src/core/bibliography.ts";
import { formatRis } from "../../src/core/ris.ts";
import { repoRoot } from "../support/fixtures.ts";

const folder = path.join(repoRoot, "content/bibliography");
const sample = parseBibliography(
  readdirSync(folder)
    .filter((f) => f.endsWith(".md"))
    .map((f) => ({ file: `content/bibliography/${f}`, text: readFileSync(path.join(folder, f), "utf8") })),
);

/** Reads RIS back by its grammar: records from TY to ER, each line `XX  - value`. */
function readRis(text: string): Array<Array<[string, string]>> {
  const records: Array<Array<[string, string]>> = [];
  let current: Array<[string, string]> | null = null;
  for (const line of text.split("\r\n").slice(0, -1)) {
    const match = /^([A-Z][A-Z0-9]) {2}- (.*)$/.exec(line);
    if (match === null) throw new Error(`not a RIS line: ${JSON.stringify(line)}`);
    const [, tag, value] = match as unknown as [string, string, string];
    if (tag === "TY") current = [];
    if (current === null) throw new Error("a tag before TY");
    current.push([tag, value]);
    if (tag === "ER") {
      records.push(current);
      current = null;
    }
  }
  if (current !== null) throw new Error("a record without ER");
  return records;
}

describe("formatRis", () => {
  it("formatRis(items) writes one TY…ER record per sample reference, with its authors, year, title, pages and DOI", () => {
    const records = readRis(formatRis(sample.references.map((r) => r.csl)));
    expect(records).toHaveLength(sample.references.length);
    const ronneberger = records.find((r) => r.some(([t, v]) => t === "ID" && v === "ronneberger2015"))!;
    const tags = (tag: string) => ronneberger.filter(([t]) => t === tag).map(([, v]) => v);
    expect(tags("TY")).toEqual(["CPAPER"]);
    expect(tags("AU")).toEqual(["Ronneberger, Olaf", "Fischer, Philipp", "Brox, Thomas"]);
    expect(tags("PY")).toEqual(["2015"]);
    expect(tags("SP")).toEqual(["234"]);
    expect(tags("EP")).toEqual(["241"]);
    expect(tags("DO")).toEqual(["10.1007/978-3-319-24574-4_28"]);
    expect(ronneberger.at(-1)).toEqual(["ER", ""]);
  });
  it("formatRis(items) keeps an organisation whole and a value with line breaks on one line", () => {
    const { reference } = parseReference(
      '---\ntype: webpage\nauthors: [Fat Segmentation Lab]\nyear: 2021\ntitle: "A title\\nover two lines"\nurl: https://example.org/a\n---\n',
      "content/bibliography/lab2021.md",
    );
    const [record] = readRis(formatRis([reference!.csl]));
    expect(record).toContainEqual(["AU", "Fat Segmentation Lab"]);
    expect(record).toContainEqual(["TI", "A title over two lines"]);
    expect(record).toContainEqual(["TY", "ELEC"]);
  });
});

describe("referenceSchema links", () => {
  it("parseReference(text, file) refuses a javascript: URL and a DOI with a quote (both become hrefs)", () => {
    const js = parseReference('---\nauthors: [Lab]\nyear: 2021\ntitle: T\nurl: "javascript:alert(1)"\n---\n', "content/bibliography/x.md");
    expect(js.reference).toBeNull();
    const quote = parseReference("---\nauthors: [Lab]\nyear: 2021\ntitle: T\ndoi: '10.1234/a\"onmouseover=\"x'\n---\n", "content/bibliography/y.md");
    expect(quote.reference).toBeNull();
  });
});
