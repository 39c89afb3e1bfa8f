import { LineCounter, parseDocument, stringify } from "yaml";
import type { Diagnostic } from "./diagnostics.ts";
import type { Person } from "./people.ts";

/** What runsite takes from an archive's own `CITATION.cff`. */
export interface ArchiveCff {
  /** The authors it lists (persons and entities), in order. */
  authors: Person[];
  /** Its `title` (optional). */
  title?: string;
  /** Its `doi` (optional). */
  doi?: string;
  /** Its `license`: an SPDX identifier or a list of them (optional). */
  license?: string | string[];
  /** Its `repository-code` (optional). */
  repositoryCode?: string;
  /** Its `keywords` (optional). */
  keywords?: string[];
}

/**
 * Reads the parts of a `CITATION.cff` (Citation File Format 1.2.0) that cite
 * an archive: the authors (`family-names`/`given-names` persons and `name`
 * entities, with ORCID, affiliation and e-mail), the title, DOI, licence,
 * code repository and keywords. An author with no name is left out with a
 * diagnostic at its line; malformed YAML gives `null` and a diagnostic.
 * Never throws.
 *
 * @example parseCitationCff("cff-version: 1.2.0\nauthors:\n  - family-names: Druskat\n    given-names: Stephan\n…", "CITATION.cff").value?.authors
 * // → [{family: "Druskat", given: "Stephan"}]
 */
export function parseCitationCff(text: string, file: string): { value: ArchiveCff | null; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ""), { lineCounter, prettyErrors: false });
  // LineCounter counts lines from 1.
  const lineOf = (offset: number | undefined) => (offset === undefined ? 0 : lineCounter.linePos(offset).line);
  const diagnostics: Diagnostic[] = [];
  const where = { file, fatal: false, ruleId: "citation-cff" };
  if (doc.errors.length > 0) {
    for (const error of doc.errors) diagnostics.push({ ...where, line: lineOf(error.pos[0]), reason: `invalid YAML: ${error.message.split("\n")[0]}; the file is not used` });
    return { value: null, diagnostics };
  }
  const data: unknown = doc.toJS();
  if (!isRecord(data)) {
    diagnostics.push({ ...where, line: 1, reason: "expected a mapping of CFF keys; the file is not used", actual: JSON.stringify(data ?? null) });
    return { value: null, diagnostics };
  }
  const authors: Person[] = [];
  const list = Array.isArray(data["authors"]) ? (data["authors"] as unknown[]) : [];
  if (!Array.isArray(data["authors"]))
    diagnostics.push({ ...where, line: 1, reason: "no authors list", expected: "authors: a list of persons (family-names, given-names) or entities (name)" });
  list.forEach((entry, i) => {
    const person = isRecord(entry) ? cffPerson(entry) : null;
    if (person !== null) authors.push(person);
    else {
      const node = doc.getIn(["authors", i], true) as { range?: [number, number, number] } | undefined;
      diagnostics.push({
        ...where,
        line: lineOf(node?.range?.[0]),
        reason: "author without a name left out",
        expected: "family-names (a person) or name (an entity)",
        actual: JSON.stringify(entry),
      });
    }
  });
  const value: ArchiveCff = { authors };
  const str = (key: string) => (typeof data[key] === "string" && (data[key] as string).trim() !== "" ? (data[key] as string).trim() : undefined);
  const title = str("title");
  if (title !== undefined) value.title = title;
  const doi = str("doi");
  if (doi !== undefined) value.doi = doi;
  const repositoryCode = str("repository-code");
  if (repositoryCode !== undefined) value.repositoryCode = repositoryCode;
  const license = data["license"];
  if (typeof license === "string") value.license = license;
  else if (Array.isArray(license) && license.every((l) => typeof l === "string")) value.license = license as string[];
  const keywords = data["keywords"];
  if (Array.isArray(keywords) && keywords.every((k) => typeof k === "string")) value.keywords = keywords as string[];
  return { value, diagnostics };
}

function cffPerson(entry: Record<string, unknown>): Person | null {
  const get = (key: string) => (typeof entry[key] === "string" && (entry[key] as string).trim() !== "" ? (entry[key] as string).trim() : undefined);
  // CFF splits a family name into particle, family and suffix: "van der Berg, Jr."
  const family = [get("name-particle"), get("family-names")].filter(Boolean).join(" ") || undefined;
  const person: Person = {};
  if (family !== undefined) {
    person.family = get("name-suffix") !== undefined ? `${family}, ${get("name-suffix")}` : family;
    const given = get("given-names");
    if (given !== undefined) person.given = given;
  } else {
    const name = get("name") ?? get("alias");
    if (name === undefined) return null;
    person.name = name;
  }
  const orcid = get("orcid");
  if (orcid !== undefined) person.orcid = orcid;
  const affiliation = get("affiliation");
  if (affiliation !== undefined) person.affiliation = affiliation;
  const email = get("email");
  if (email !== undefined) person.email = email;
  return person;
}

/** What the site's `CITATION.cff` says (see `formatCitationCff`). */
export interface CitationCffSpec {
  /** The archive's title (the config's `title`). */
  title: string;
  /** Its authors; an empty list is written as one entity named after the title (CFF requires an author). */
  authors: readonly Person[];
  /** The site's absolute URL, when the site's origin is known (CFF wants a URI, not a path). */
  url?: string | undefined;
  /** The commit of the archive's repository, when its runs are committed. */
  commit?: string | undefined;
  /** Carried over from the archive's own CITATION.cff (optional). */
  doi?: string | undefined;
  license?: string | string[] | undefined;
  repositoryCode?: string | undefined;
  keywords?: readonly string[] | undefined;
}

/**
 * Writes a Citation File Format 1.2.0 file for the archive as a data set:
 * `cff-version`, `message`, `type: dataset`, `title`, `authors` (persons as
 * `family-names`/`given-names`, organisations as entities), and the URL,
 * commit, DOI, licence, code repository and keywords where known. It
 * validates against the CFF 1.2.0 schema (tests/core/citationCff.test.ts).
 */
export function formatCitationCff(spec: CitationCffSpec): string {
  const authors = spec.authors.length > 0 ? spec.authors : [{ name: spec.title }];
  const document: Record<string, unknown> = {
    "cff-version": "1.2.0",
    message: "If you use these experiments, please cite them using these metadata.",
    type: "dataset",
    title: spec.title,
    authors: authors.map(cffAuthor),
  };
  if (spec.url !== undefined) document["url"] = spec.url;
  if (spec.repositoryCode !== undefined) document["repository-code"] = spec.repositoryCode;
  if (spec.doi !== undefined) document["doi"] = spec.doi;
  if (spec.license !== undefined) document["license"] = spec.license;
  if (spec.commit !== undefined) document["commit"] = spec.commit;
  if (spec.keywords !== undefined && spec.keywords.length > 0) document["keywords"] = [...spec.keywords];
  return `# Written by runsite from its configuration (author, title) and the site's address.\n${stringify(document, { lineWidth: 0 })}`;
}

function cffAuthor(person: Person): Record<string, string> {
  const out: Record<string, string> = {};
  if (person.family !== undefined) {
    out["family-names"] = person.family;
    if (person.given !== undefined) out["given-names"] = person.given;
  } else out["name"] = person.name ?? "";
  if (person.orcid !== undefined) out["orcid"] = person.orcid;
  // CFF entities have no affiliation.
  if (person.affiliation !== undefined && person.family !== undefined) out["affiliation"] = person.affiliation;
  if (person.email !== undefined) out["email"] = person.email;
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
