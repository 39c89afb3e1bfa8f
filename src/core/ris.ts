import type { CslItem } from "./bibliography.ts";

/** RIS reference types for the CSL types a bibliography entry may have. */
const risTypes: Readonly<Record<string, string>> = {
  "article-journal": "JOUR",
  "paper-conference": "CPAPER",
  chapter: "CHAP",
  book: "BOOK",
  report: "RPRT",
  thesis: "THES",
  // CSL's `article` is a preprint; RIS has no preprint type, and reference
  // managers read an unpublished work as one.
  article: "UNPB",
  webpage: "ELEC",
  dataset: "DATA",
  software: "COMP",
};

/**
 * Writes references as RIS (the tagged format EndNote, Zotero, Mendeley and
 * most publishers import): `TY` first, `ER` last, one `AU` per author
 * (`Family, Given`; an organisation as its name), `PY`, `TI`, the container
 * (`T2`), series (`T3`), `VL`, `IS`, pages (`SP`/`EP`), `PB`, `DO`, `UR`
 * and the citation key as `ID`. Lines end in CR LF, as the format's
 * specification writes them; line breaks inside a value become spaces.
 *
 * @example formatRis([zhang2021]).split("\r\n")[0] // → "TY  - JOUR"
 */
export function formatRis(items: readonly CslItem[]): string {
  return items.map(risRecord).join("");
}

function risRecord(item: CslItem): string {
  const lines: [string, string | undefined][] = [
    ["TY", risTypes[item.type] ?? "GEN"],
    ["ID", item["citation-key"]],
    ...item.author.map((a): [string, string] => ["AU", "literal" in a ? a.literal : a.given !== undefined ? `${a.family}, ${a.given}` : a.family]),
    ["PY", String(item.issued["date-parts"][0][0])],
    ["TI", item.title],
    ["T2", item["container-title"]],
    ["T3", item["collection-title"]],
    ["VL", item.volume],
    ["IS", item.issue],
    ...pages(item.page),
    ["PB", item.publisher],
    ["M1", item.number],
    ["DO", item.DOI],
    ["UR", item.URL ?? (item.DOI !== undefined ? `https://doi.org/${item.DOI}` : undefined)],
    ["ER", ""],
  ];
  return lines
    .filter((line): line is [string, string] => line[1] !== undefined)
    .map(([tag, value]) => `${tag}  - ${value.replace(/\s*[\r\n]+\s*/g, " ")}`.trimEnd())
    .map((line) => (line === "ER  -" ? "ER  - " : line))
    .join("\r\n")
    .concat("\r\n");
}

function pages(page: string | undefined): [string, string | undefined][] {
  if (page === undefined) return [];
  const [start, end] = page.split("-", 2).map((p) => p.trim());
  return [
    ["SP", start],
    ["EP", end === "" ? undefined : end],
  ];
}
