import { z } from "zod";
import type { Diagnostic } from "./diagnostics.ts";
import { parseFrontmatter } from "./frontmatter.ts";

/** CSL types a reference may have (the CSL 1.0 names; `article` is a preprint). */
export const referenceTypes = ["article-journal", "paper-conference", "chapter", "book", "report", "thesis", "article", "webpage", "dataset", "software"] as const;

const text = z.string().trim().min(1);
const numberLike = z.union([z.string().trim().min(1), z.number().int().nonnegative()]).transform(String);

/**
 * The frontmatter of `content/bibliography/<key>.md`: one reference. The file
 * name is the citation key; the body holds the reader's notes.
 */
export const referenceSchema = z
  .object({
    /** CSL item type, e.g. `"paper-conference"`. Default: `"article-journal"`. */
    type: z.enum(referenceTypes).default("article-journal"),
    /** Authors as `"Family, Given"`; a name without a comma is an organisation. Required. */
    authors: z.array(text).min(1, "expected at least one author"),
    /** Year of publication. Required. */
    year: z.number().int().min(1000).max(9999),
    /** Title, in the capitalisation of the original. Required. */
    title: text,
    /** Journal, proceedings or book the work appeared in (optional). */
    container: text.optional(),
    /** Series, e.g. `"Lecture Notes in Computer Science"` (optional). */
    collection: text.optional(),
    /** Volume (optional). */
    volume: numberLike.optional(),
    /** Issue (optional). */
    issue: numberLike.optional(),
    /** Page range, `"234–241"` or `"234-241"` (optional). */
    pages: numberLike.optional(),
    /** Publisher (optional). */
    publisher: text.optional(),
    /** A DOI without `https://doi.org/`, e.g. `"10.1145/3446776"` (one of doi, url, arxiv is required). */
    // No quotes or angle brackets: the DOI becomes a link's href.
    doi: z
      .string()
      .trim()
      .regex(/^10\.\d{4,9}\/[^\s"'<>]+$/, "expected a DOI such as 10.1145/3446776")
      .optional(),
    /** A web address (`http:` or `https:`) where the work can be read (one of doi, url, arxiv is required). */
    // Written as the URL parser serialises it (quotes percent-encoded): it becomes a link's href.
    url: z
      .url({ protocol: /^https?$/, error: "expected an http(s) URL" })
      .transform((u) => new URL(u).href)
      .optional(),
    /** An arXiv identifier, e.g. `"1804.07612"` (one of doi, url, arxiv is required). */
    arxiv: z
      .string()
      .trim()
      .regex(/^\d{4}\.\d{4,5}(v\d+)?$/, "expected an arXiv identifier such as 1804.07612")
      .optional(),
  })
  .strict()
  .refine((r) => r.doi !== undefined || r.url !== undefined || r.arxiv !== undefined, { message: "expected a doi, url or arxiv field" });

/** What authors write in the frontmatter. */
export type ReferenceSpec = z.input<typeof referenceSchema>;

/** A CSL-JSON item: what citeproc and citation-js read. */
export interface CslItem {
  id: string;
  "citation-key": string;
  type: string;
  title: string;
  author: Array<{ family: string; given?: string } | { literal: string }>;
  issued: { "date-parts": [[number]] };
  "container-title"?: string;
  "collection-title"?: string;
  volume?: string;
  issue?: string;
  page?: string;
  publisher?: string;
  number?: string;
  DOI?: string;
  URL?: string;
}

/** One reference of the bibliography. */
export interface Reference {
  /** The citation key: the file name without `.md`. */
  key: string;
  /** The file it was read from, as shown in diagnostics. */
  file: string;
  csl: CslItem;
  /** The notes (markdown), frontmatter lines blanked so line numbers are the file's. */
  notes: string;
}

/** Pandoc's citation-key grammar, less its rarely used punctuation. */
export const keyPattern = /^[A-Za-z0-9_][A-Za-z0-9_:.+-]*$/;

/**
 * Parses one bibliography file (`<key>.md`). A reference with a missing or
 * invalid field is left out, with a diagnostic at the field's line; never throws.
 *
 * @example parseReference("---\nauthors: [Zhang, Chiyuan]\n…", "content/bibliography/zhang2021.md")
 */
export function parseReference(text: string, file: string): { reference: Reference | null; diagnostics: Diagnostic[] } {
  const key = (file.split("/").pop() ?? file).replace(/\.md$/i, "");
  const { data, body, diagnostics } = parseFrontmatter(text, file, referenceSchema, "bibliography-entry");
  if (!keyPattern.test(key)) {
    diagnostics.push({
      file,
      line: 0,
      reason: "invalid citation key in the file name; reference left out",
      expected: "letters, digits and _:.+- (e.g. zhang2021.md)",
      actual: JSON.stringify(key),
      fatal: false,
      ruleId: "bibliography-key",
    });
    return { reference: null, diagnostics };
  }
  if (data === null) {
    for (const d of diagnostics) d.reason = `${d.reason}; reference "${key}" left out`;
    return { reference: null, diagnostics };
  }
  return { reference: { key, file, csl: toCsl(key, data), notes: body }, diagnostics };
}

/**
 * Parses every bibliography file and sorts the references by key (the APA
 * order comes from the citation engine, see `createCitationEngine`).
 */
export function parseBibliography(files: ReadonlyArray<{ file: string; text: string }>): { references: Reference[]; diagnostics: Diagnostic[] } {
  const references: Reference[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const { file, text } of files) {
    const result = parseReference(text, file);
    if (result.reference !== null) references.push(result.reference);
    diagnostics.push(...result.diagnostics);
  }
  references.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { references, diagnostics };
}

function toCsl(key: string, r: z.output<typeof referenceSchema>): CslItem {
  const item: CslItem = {
    id: key,
    "citation-key": key,
    type: r.type,
    title: r.title,
    author: r.authors.map(toName),
    issued: { "date-parts": [[r.year]] },
  };
  if (r.container !== undefined) item["container-title"] = r.container;
  if (r.collection !== undefined) item["collection-title"] = r.collection;
  if (r.volume !== undefined) item.volume = r.volume;
  if (r.issue !== undefined) item.issue = r.issue;
  // CSL wants a hyphen; the style draws the en dash.
  if (r.pages !== undefined) item.page = r.pages.replace(/\s*[–—]\s*/g, "-");
  if (r.publisher !== undefined) item.publisher = r.publisher;
  if (r.arxiv !== undefined) {
    item.number = `arXiv:${r.arxiv}`;
    item.publisher ??= "arXiv";
  }
  // arXiv registers a DataCite DOI for every paper; APA 7 prefers the DOI to the URL.
  const doi = r.doi ?? (r.arxiv !== undefined ? `10.48550/arXiv.${r.arxiv.replace(/v\d+$/, "")}` : undefined);
  if (doi !== undefined) item.DOI = doi;
  if (r.url !== undefined) item.URL = r.url;
  return item;
}

function toName(name: string): { family: string; given?: string } | { literal: string } {
  const comma = name.indexOf(",");
  if (comma < 0) return { literal: name };
  const family = name.slice(0, comma).trim();
  const given = name.slice(comma + 1).trim();
  return given === "" ? { family } : { family, given };
}
