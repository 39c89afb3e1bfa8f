/** One cited work in a citation, as Pandoc reads `[see @key, p. 6]`. */
export interface CiteItem {
  key: string;
  /** Text before the key, e.g. `"see"` (optional). */
  prefix?: string;
  /** The locator, e.g. `"6"` for `p. 6` (optional). */
  locator?: string;
  /** The CSL locator label, e.g. `"page"`, `"section"` (optional, with `locator`). */
  label?: string;
  /** Text after the locator, e.g. `", for the 2-label case"` (optional). */
  suffix?: string;
  /** `-@key`: cite the year only. */
  suppressAuthor?: boolean;
}

/** A citation found in text: `[@a; @b]` (parenthetical) or `@a` / `@a [p. 6]` (narrative). */
export interface CiteCluster {
  /** Offset of the first character in the text. */
  start: number;
  /** Offset after the last character. */
  end: number;
  /** The source text, e.g. `"[@milletari2016, p. 6]"`. */
  source: string;
  /** `true` for `@key shows …`: the author outside the parentheses. */
  narrative: boolean;
  items: CiteItem[];
}

// Pandoc: a key starts with a letter, digit or _, may hold internal punctuation,
// and does not end with it (so `@zhang2021.` at the end of a sentence is the key zhang2021).
const key = "[A-Za-z0-9_](?:[A-Za-z0-9_:.#$%&+?<>~/-]*[A-Za-z0-9_])?";
const bracketed = /\[([^[\]]*?@[^[\]]*?)\]/g;
const itemPattern = new RegExp(`^(.*?)(-?)@(${key})(.*)$`, "s");
const narrativePattern = new RegExp(String.raw`(^|[^A-Za-z0-9_@\\])@(${key})(?:\s?\[([^[\]@]*)\])?`, "g");

/** Locator terms Pandoc and CSL recognise, singular and plural, abbreviated or not. */
const labels: Record<string, string> = {
  p: "page",
  pp: "page",
  page: "page",
  pages: "page",
  sec: "section",
  secs: "section",
  section: "section",
  sections: "section",
  "§": "section",
  "§§": "section",
  ch: "chapter",
  chap: "chapter",
  chaps: "chapter",
  chapter: "chapter",
  chapters: "chapter",
  fig: "figure",
  figs: "figure",
  figure: "figure",
  figures: "figure",
  tab: "table",
  table: "table",
  tables: "table",
  eq: "equation",
  eqs: "equation",
  equation: "equation",
  equations: "equation",
  para: "paragraph",
  paras: "paragraph",
  paragraph: "paragraph",
  "¶": "paragraph",
  vol: "volume",
  vols: "volume",
  volume: "volume",
  n: "note",
  nn: "note",
  note: "note",
  notes: "note",
  l: "line",
  ll: "line",
  line: "line",
  lines: "line",
  app: "appendix",
  appendix: "appendix",
};
const locatorPattern = /^\s*(§§|§|¶|[A-Za-z]+)\.?\s*([0-9ivxlcdmIVXLCDM][^,;]*?)\s*(?=,|$)/;

/**
 * Finds Pandoc-style citations in a run of text: `[@a]`, `[@a, p. 6]`,
 * `[see @a; @b, sec. 3]`, `[-@a]`, `@a` and `@a [p. 6]`. An `@` inside a
 * word (an e-mail address) is not a citation. Pure; never throws.
 *
 * @example findCitations("as [@milletari2016, p. 6] shows")[0].items[0] // {key: "milletari2016", locator: "6", label: "page"}
 */
export function findCitations(text: string): CiteCluster[] {
  const clusters: CiteCluster[] = [];
  const taken: Array<[number, number]> = [];
  for (const m of text.matchAll(bracketed)) {
    const items = m[1]!.split(";").map(parseItem);
    if (items.some((i) => i === null)) continue;
    clusters.push({ start: m.index, end: m.index + m[0].length, source: m[0], narrative: false, items: items as CiteItem[] });
    taken.push([m.index, m.index + m[0].length]);
  }
  for (const m of text.matchAll(narrativePattern)) {
    const start = m.index + m[1]!.length;
    if (taken.some(([a, b]) => start >= a && start < b)) continue;
    const item: CiteItem = { key: m[2]! };
    if (m[3] !== undefined) Object.assign(item, parseLocator(m[3]));
    clusters.push({ start, end: m.index + m[0].length, source: m[0].slice(m[1]!.length), narrative: true, items: [item] });
  }
  return clusters.sort((a, b) => a.start - b.start);
}

function parseItem(part: string): CiteItem | null {
  const m = itemPattern.exec(part);
  if (m === null) return null;
  const item: CiteItem = { key: m[3]! };
  const prefix = m[1]!.trim();
  if (prefix !== "") item.prefix = prefix;
  if (m[2] === "-") item.suppressAuthor = true;
  Object.assign(item, parseLocator(m[4]!));
  return item;
}

/** `", p. 6, the 2-label case"` → locator 6, label page, suffix ", the 2-label case". */
function parseLocator(rest: string): Pick<CiteItem, "locator" | "label" | "suffix"> {
  const text = rest.replace(/^\s*,/, "");
  const m = locatorPattern.exec(text);
  const label = m === null ? undefined : labels[m[1]!.toLowerCase()];
  if (m !== null && label !== undefined) {
    const suffix = text.slice(m[0].length).trim();
    return { locator: m[2]!, label, ...(suffix !== "" ? { suffix: suffix.startsWith(",") ? suffix : `, ${suffix}` } : {}) };
  }
  // A bare number is a page, as in Pandoc.
  const bare = /^\s*(\d[\d–-]*)\s*(?=,|$)/.exec(text);
  if (bare !== null) {
    const suffix = text.slice(bare[0].length).trim();
    return { locator: bare[1]!, label: "page", ...(suffix !== "" ? { suffix } : {}) };
  }
  const suffix = rest.trim();
  return suffix === "" ? {} : { suffix: suffix.startsWith(",") ? suffix : ` ${suffix}` };
}
