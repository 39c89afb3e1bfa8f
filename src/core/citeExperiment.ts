import { Cite } from "@citation-js/core";
import "@citation-js/plugin-csl";
import "@citation-js/plugin-bibtex";

/** What is known about an experiment page, for citing it. */
export interface ExperimentCitationSpec {
  /** The page's title. */
  title: string;
  /** The citation key, e.g. the history's stem (characters BibTeX dislikes become `_`). */
  key: string;
  /** `YYYY-MM-DD` of the run (its date folder), when known; the year is cited. */
  date?: string | undefined;
  /** The page's URL: absolute when the site's origin is known. */
  url: string;
  /** SHA-256 of the history file (optional). */
  sha256?: string | undefined;
  /** Git commit of the run tree (optional). */
  commit?: string | undefined;
  /** Author or organisation. */
  author: string;
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
 * (title, author, year, url, howpublished, and a note with the history's
 * SHA-256 and the run tree's git commit) and an APA 7 reference line.
 *
 * @example renderExperimentCitation({title: "AG run", key: "ag", date: "2021-03-12", url: "https://lab.github.io/x/", author: "Lab", siteTitle: "Archive"}).apa
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
  const note = [spec.sha256 !== undefined ? `SHA-256 of the history file: ${spec.sha256}` : "", spec.commit !== undefined ? `git commit: ${spec.commit}` : ""].filter(Boolean).join("; ");
  return {
    id: key,
    "citation-key": key,
    type: "dataset",
    title: spec.title,
    // An organisation or a person given as one string: never split into family and given names.
    author: [{ literal: spec.author }],
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
 * The APA line citeproc would write for a dated experiment whose title, author
 * and site title are plain text, or `null` when citeproc must write it.
 * citeproc-js takes ~6 ms per reference (its bibliography pass), a minute of CPU
 * for 10 000 pages; this is the same line as a template. Anything outside the
 * plain shape (markup, quotes, end punctuation, no date) goes to citeproc.
 */
export function plainApa(spec: ExperimentCitationSpec): string | null {
  const year = citedYear(spec);
  const plain = (text: string) => plainText.test(text) && plainEnd.test(text) && !/\.\.|\s[.,:;]/.test(text);
  if (year === undefined || !plain(spec.title) || !plain(spec.author) || !plain(spec.siteTitle) || /\s/.test(spec.url) || spec.url === "") return null;
  return `${spec.author}. (${year}). ${spec.title} [Dataset]. ${spec.siteTitle}. ${spec.url}`;
}
