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
 * // "Lab. (2021). AG run [Data set]. Archive. https://lab.github.io/x/"
 */
export function renderExperimentCitation(spec: ExperimentCitationSpec): RenderedExperimentCitation {
  const key = spec.key.replace(/[^A-Za-z0-9_:-]+/g, "_") || "experiment";
  const year = spec.date !== undefined && /^\d{4}/.test(spec.date) ? Number(spec.date.slice(0, 4)) : undefined;
  const note = [spec.sha256 !== undefined ? `SHA-256 of the history file: ${spec.sha256}` : "", spec.commit !== undefined ? `git commit: ${spec.commit}` : ""].filter(Boolean).join("; ");
  const item = {
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
  // Without a publisher citation-js writes the URL as howpublished, as @misc expects.
  // citation-js escapes the URL in howpublished as text (\textunderscore{}); the
  // \url{} of the url and hyperref packages is what LaTeX styles expect there.
  const bibtex = (new Cite([item]).format("bibtex", { format: "text" }) as string)
    .trim()
    .replace(/^(\s*howpublished = )\{.*\},?$/m, (_, key: string) => `${key}{\\url{${item.URL}}},`);
  const apa = (new Cite([{ ...item, publisher: spec.siteTitle }]).format("bibliography", { template: "apa", format: "text" }) as string).trim();
  return { bibtex, apa };
}
