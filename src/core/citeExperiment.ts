import { Cite } from "@citation-js/core";
import "@citation-js/plugin-csl";
import "@citation-js/plugin-bibtex";
import { cslName, type Person } from "./people.ts";

/** What is known about an experiment page, for citing it. */
export interface ExperimentCitationSpec {
  /** The page's title. */
  title: string;
  /** The citation key, e.g. the history's stem (characters BibTeX dislikes become `_`); also named in the note. */
  key: string;
  /** `YYYY-MM-DD` of the run (its date folder), when known; the year is cited. */
  date?: string | undefined;
  /** The page's URL: absolute when the site's origin is known, else a path. */
  url: string;
  /** SHA-256 of the history file (optional). */
  sha256?: string | undefined;
  /** Git commit of the archive's repository that holds the history (optional). */
  commit?: string | undefined;
  /** Authors: persons and organisations; none cites the work by its title, as APA does. */
  authors: readonly Person[];
  /** The site's title: the publisher in the APA line. */
  siteTitle: string;
}

/** A citation of an experiment: BibTeX and an APA reference, both plain text. */
export interface RenderedExperimentCitation {
  bibtex: string;
  apa: string;
}

/**
 * Cites an experiment page as a data set, with citation-js: BibTeX `@misc`
 * keyed by the history's stem (title, authors, year, url, howpublished, and a
 * note naming the stem, the history's SHA-256 and the archive's git commit)
 * and an APA 7 reference line.
 *
 * @example renderExperimentCitation({title: "AG run", key: "ag", date: "2021-03-12", url: "https://lab.github.io/x/", authors: [{name: "Lab"}], siteTitle: "Archive"}).apa
 * // "Lab. (2021). AG run [Dataset]. Archive. https://lab.github.io/x/"
 */
export function renderExperimentCitation(spec: ExperimentCitationSpec): RenderedExperimentCitation {
  const item = cslItem(spec);
  // Without a publisher citation-js writes the URL as howpublished, as @misc expects.
  // citation-js escapes the URL in howpublished as text (\textunderscore{}); the
  // \url{} of the url and hyperref packages is what LaTeX styles expect there.
  const bibtex = (new Cite([item]).format("bibtex", { format: "text" }) as string)
    .trim()
    .replace(/^(\s*howpublished = )\{.*\},?$/m, (_, key: string) => `${key}{\\url{${item.URL}}},`);
  const apa = plainApa(spec) ?? citeprocApa(spec);
  return { bibtex, apa };
}

function cslItem(spec: ExperimentCitationSpec) {
  const key = spec.key.replace(/[^A-Za-z0-9_:-]+/g, "_") || "experiment";
  const year = citedYear(spec);
  const note = [`run ${spec.key}`, spec.sha256 !== undefined ? `SHA-256 of the history file: ${spec.sha256}` : "", spec.commit !== undefined ? `git commit: ${spec.commit}` : ""]
    .filter(Boolean)
    .join("; ");
  return {
    id: key,
    "citation-key": key,
    type: "dataset",
    title: spec.title,
    // Persons as family and given names; organisations as one literal name, never split.
    ...(spec.authors.length > 0 ? { author: spec.authors.map(cslName) } : {}),
    ...(year !== undefined ? { issued: { "date-parts": [[year]] } } : {}),
    URL: spec.url,
    ...(note !== "" ? { note } : {}),
  };
}

function citedYear(spec: ExperimentCitationSpec): number | undefined {
  return spec.date !== undefined && /^\d{4}/.test(spec.date) ? Number(spec.date.slice(0, 4)) : undefined;
}

/** The APA 7 reference of an experiment, formatted by citeproc-js (APA CSL style, en-US). */
export function citeprocApa(spec: ExperimentCitationSpec): string {
  return (new Cite([{ ...cslItem(spec), publisher: spec.siteTitle }]).format("bibliography", { template: "apa", format: "text" }) as string).trim();
}

/**
 * Text citeproc prints unchanged in an APA reference: letters, digits and
 * punctuation that no CSL rule rewrites (no quotes, which become curly; no
 * markup, which is stripped; no `.`, `?` or `!` at the end, which merges with
 * the separator; single spaces). tests/core/citeExperiment.test.ts checks the
 * claim against citeproc on generated text.
 */
const plainText = /^[A-Za-z0-9_×\-+=%#@/,:;()]+(?: [A-Za-z0-9_×\-+=%#@/,:;().]+)*$/;
const plainEnd = /[A-Za-z0-9_×)]$/;

/**
 * The APA line citeproc would write for a dated experiment whose title and
 * site title are plain text, or `null` when citeproc must write it.
 * citeproc-js takes ~6 ms per reference (its bibliography pass), a minute of CPU
 * for 10 000 pages; this is the same line as a template. The authors, the same
 * on every page, are written by citeproc once per list (`apaAuthors`).
 * Anything outside the plain shape (markup, quotes, end punctuation, no date)
 * goes to citeproc.
 */
export function plainApa(spec: ExperimentCitationSpec): string | null {
  const year = citedYear(spec);
  const plain = (text: string) => plainText.test(text) && plainEnd.test(text) && !/\.\.|\s[.,:;]/.test(text);
  if (year === undefined || !plain(spec.title) || !plain(spec.siteTitle) || /\s/.test(spec.url) || spec.url === "") return null;
  // Without authors APA moves the title to the author's place: "Title. (2021). [Dataset]. …".
  if (spec.authors.length === 0) return `${spec.title}. (${year}). [Dataset]. ${spec.siteTitle}. ${spec.url}`;
  const authors = apaAuthors(spec.authors);
  return authors === null ? null : `${authors} (${year}). ${spec.title} [Dataset]. ${spec.siteTitle}. ${spec.url}`;
}

const authorLists = new Map<string, string | null>();

/**
 * The authors part of an APA reference as citeproc writes it, up to the
 * year (`"Doe, J., Roe, R., & Fat MRI Lab."`), or `null` when it cannot be cut out
 * of citeproc's line. Once per author list.
 */
function apaAuthors(authors: readonly Person[]): string | null {
  const key = JSON.stringify(authors);
  let part = authorLists.get(key);
  if (part === undefined) {
    const probe = { title: "Probe", key: "probe", date: "2000", url: "https://example.org/", authors, siteTitle: "Site" };
    const line = citeprocApa(probe);
    const tail = " (2000). Probe [Dataset]. Site. https://example.org/";
    part = line.endsWith(tail) ? line.slice(0, -tail.length) : null;
    authorLists.set(key, part);
  }
  return part;
}

/**
 * What a build says once about its citations: that their URLs are relative
 * (no `site`), and that they name no author (no `author` in the config and no
 * CITATION.cff). Empty when all is well or there is nothing to cite.
 */
export function citationWarnings(options: { site: string | undefined; experiments: number; authors: number }): string[] {
  if (options.experiments === 0) return [];
  const warnings: string[] = [];
  if (options.site === undefined) {
    warnings.push(
      `citations: no --site given, so the URLs in the ${options.experiments} experiments' BibTeX, APA and citation_* tags are relative paths that resolve nowhere once copied; build with --site https://<host> (and --base) to make them absolute`,
    );
  }
  if (options.authors === 0) {
    warnings.push("citations: no author, so citations start with the title; set author in the config (a name or a list of people) or add a CITATION.cff to the archive");
  }
  return warnings;
}
