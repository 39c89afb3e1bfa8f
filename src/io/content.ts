import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { parseBibliography, type Reference } from "../core/bibliography.ts";
import { createCitationEngine, type CitationEngine } from "../core/citeproc.ts";
import { compareDiagnostics, compareStrings, type Diagnostic } from "../core/diagnostics.ts";
import { parseFrontmatter } from "../core/frontmatter.ts";
import { renderMarkdown } from "../core/markdown.ts";
import { formatRis } from "../core/ris.ts";
import type { Site } from "./loadSite.ts";

/** A page that cites a reference. */
export interface CitingPage {
  kind: "note" | "experiment";
  title: string;
  /** Site path without the base, e.g. `"notes/multilabel-balanced-dice-loss/"`. */
  path: string;
}

/** A reference as the bibliography page shows it. */
export interface RenderedReference {
  key: string;
  file: string;
  /** The APA reference-list entry (HTML). */
  html: string;
  /** The notes from the file's body (sanitised HTML; empty when none). */
  notesHtml: string;
  /** This entry alone as BibTeX. */
  bibtex: string;
  /** This entry alone as RIS. */
  ris: string;
  /** Notes and experiments citing it, notes first, each sorted by title. */
  citedBy: CitingPage[];
}

/** A note: `content/notes/<slug>.md`. */
export interface Note {
  slug: string;
  file: string;
  title: string;
  /** Publication date as written, e.g. `"2021-03-12"` (optional). */
  date?: string;
  /** Authors (optional; the site's `author` otherwise). */
  authors: string[];
  /** One sentence for the index and `<meta name="description">` (optional). */
  summary?: string;
  html: string;
  citedKeys: string[];
}

/** The markdown beside a run file: `<stem>.md`. */
export interface Sidecar {
  file: string;
  /** Overrides the experiment page's title (optional). */
  title?: string;
  /** Overrides the experiment page's subtitle (optional). */
  subtitle?: string;
  html: string;
  citedKeys: string[];
  diagnostics: Diagnostic[];
}

/** Bibliography, notes and sidecars, rendered for one base path. */
export interface Content {
  /** Every reference, in APA reference-list order. */
  references: RenderedReference[];
  notes: Note[];
  /** Sidecars by experiment slug. */
  sidecars: Map<string, Sidecar>;
  /** The whole bibliography as BibTeX. */
  bibtex: string;
  engine: CitationEngine;
  /** Problems in content files and sidecars, sorted by file and line. */
  diagnostics: Diagnostic[];
}

/** Where content is read from and how links are written. */
export interface ContentOptions {
  /** Absolute path of the content folder (`bibliography/`, `notes/`). */
  contentRoot: string;
  /** Absolute path of the run tree (for sidecars). */
  runsRoot: string;
  /** Experiments whose sidecars are read: run-tree-relative history file, slug and default title. */
  experiments: ReadonlyArray<{ file: string; slug: string; title: string }>;
  /** The site's base path, e.g. `"/"` or `"/fat-unet/"`. */
  base: string;
}

const noteSchema = z
  .object({
    /** The note's title. Required. */
    title: z.string().trim().min(1),
    /** Publication date, `YYYY-MM-DD` (optional). */
    date: z.union([z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, "expected a date such as 2021-03-12"), z.date().transform((d) => d.toISOString().slice(0, 10))]).optional(),
    /** Authors, `"Family, Given"` (optional). */
    authors: z.array(z.string().trim().min(1)).default([]),
    /** One sentence for the index (optional). */
    summary: z.string().trim().min(1).optional(),
  })
  .strict();

const sidecarSchema = z
  .object({
    /** The experiment page's title (optional). */
    title: z.string().trim().min(1).optional(),
    /** The experiment page's subtitle (optional). */
    subtitle: z.string().trim().min(1).optional(),
  })
  .strict();

/**
 * Reads and renders `bibliography/*.md`, `notes/*.md` under the content folder
 * and the sidecar of every experiment. A missing folder is no problem; every
 * problem in a file is a diagnostic, never an exception.
 */
export async function loadContent(options: ContentOptions): Promise<Content> {
  const { contentRoot, runsRoot, experiments } = options;
  const shown = (file: string) => `${path.basename(contentRoot)}/${path.relative(contentRoot, file).split(path.sep).join("/")}`;
  const bibliographyFiles = await readMarkdownFolder(path.join(contentRoot, "bibliography"), shown);
  const { references, diagnostics } = parseBibliography(bibliographyFiles);
  const engine = createCitationEngine(references.map((r) => r.csl));
  const href = citationHref(options.base);
  const citedBy = new Map<string, CitingPage[]>();
  const addCitations = (keys: readonly string[], page: CitingPage) => {
    for (const key of keys) citedBy.set(key, [...(citedBy.get(key) ?? []), page]);
  };

  const notes: Note[] = [];
  for (const { file, text } of await readMarkdownFolder(path.join(contentRoot, "notes"), shown)) {
    const slug = path.posix.basename(file, ".md");
    const front = parseFrontmatter(text, file, noteSchema, "note");
    diagnostics.push(...front.diagnostics);
    const rendered = await renderMarkdown(front.body, file, { engine, href });
    diagnostics.push(...rendered.diagnostics);
    const data = front.data;
    const note: Note = { slug, file, title: data?.title ?? slug, authors: data?.authors ?? [], html: rendered.html, citedKeys: rendered.citedKeys };
    if (data?.date !== undefined) note.date = data.date;
    if (data?.summary !== undefined) note.summary = data.summary;
    notes.push(note);
    addCitations(note.citedKeys, { kind: "note", title: note.title, path: `notes/${slug}/` });
  }
  notes.sort((a, b) => compareStrings(a.title, b.title));

  const sidecars = new Map<string, Sidecar>();
  for (const experiment of experiments) {
    const sidecar = await loadSidecar(path.join(runsRoot, experiment.file), { runsRoot, engine, base: options.base });
    if (sidecar === null) continue;
    sidecars.set(experiment.slug, sidecar);
    diagnostics.push(...sidecar.diagnostics);
    addCitations(sidecar.citedKeys, { kind: "experiment", title: sidecar.title ?? experiment.title, path: `experiments/${experiment.slug}/` });
  }

  const rendered: RenderedReference[] = [];
  const byKey = new Map<string, Reference>(references.map((r) => [r.key, r]));
  for (const key of engine.order) {
    const reference = byKey.get(key)!;
    // Notes in an entry may cite other entries; the entry itself is the reference list.
    const notes = reference.notes.trim() === "" ? null : await renderMarkdown(reference.notes, reference.file, { engine, href, referenceList: false });
    if (notes !== null) diagnostics.push(...notes.diagnostics);
    const pages = (citedBy.get(key) ?? []).sort((a, b) => compareStrings(b.kind, a.kind) || compareStrings(a.title, b.title));
    rendered.push({
      key,
      file: reference.file,
      html: engine.reference(key),
      notesHtml: notes?.html ?? "",
      bibtex: engine.bibtex([key]),
      ris: formatRis([reference.csl]),
      citedBy: pages,
    });
  }
  return { references: rendered, notes, sidecars, bibtex: engine.bibtex(), engine, diagnostics: diagnostics.sort(compareDiagnostics) };
}

/**
 * Reads and renders the sidecar of a history file: `<stem>.md` beside it.
 * Resolves to `null` when there is none.
 *
 * @example loadSidecar("/lab/runs/2021-03-12/…/run_DR20.csv", {runsRoot: "/lab/runs", engine, base: "/"})
 */
export async function loadSidecar(runPath: string, options: { runsRoot: string; engine: CitationEngine; base: string }): Promise<Sidecar | null> {
  const sidecarPath = runPath.replace(/(\.[^./\\]*)?$/, ".md");
  if (sidecarPath === runPath) return null;
  const text = await readFile(sidecarPath, "utf8").catch(() => null);
  if (text === null) return null;
  const file = path.relative(options.runsRoot, sidecarPath).split(path.sep).join("/");
  const front = parseFrontmatter(text, file, sidecarSchema, "sidecar");
  const rendered = await renderMarkdown(front.body, file, { engine: options.engine, href: citationHref(options.base) });
  const sidecar: Sidecar = { file, html: rendered.html, citedKeys: rendered.citedKeys, diagnostics: [...front.diagnostics, ...rendered.diagnostics] };
  if (front.data?.title !== undefined) sidecar.title = front.data.title;
  if (front.data?.subtitle !== undefined) sidecar.subtitle = front.data.subtitle;
  return sidecar;
}

/** `(key) => "<base>/bibliography/#<key>"`. */
export function citationHref(base: string): (key: string) => string {
  const prefix = base.replace(/\/+$/, "");
  return (key) => `${prefix}/bibliography/#${encodeURIComponent(key)}`;
}

async function readMarkdownFolder(dir: string, shown: (file: string) => string): Promise<Array<{ file: string; text: string }>> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const files = names.filter((n) => n.toLowerCase().endsWith(".md") && !n.startsWith(".") && !n.startsWith("_") && n.toLowerCase() !== "readme.md").sort(compareStrings);
  return Promise.all(files.map(async (name) => ({ file: shown(path.join(dir, name)), text: await readFile(path.join(dir, name), "utf8") })));
}

// Pages and the integration hold separate copies of this module (see siteCache.ts):
// the cache lives on globalThis so that one build renders the content once per base.
const slot = Symbol.for("runsite.content-cache");
const store = globalThis as unknown as Record<symbol, WeakMap<Site, Map<string, Promise<Content>>> | undefined>;
const cache = (store[slot] ??= new WeakMap());

/**
 * The content of `site` (its `config.content` folder, relative to `root`, and
 * the sidecars of its experiments), rendered for `base`, loaded once per site
 * and base. Its diagnostics do not depend on `base`:
 * `getCachedContent(site, root, "/")` is enough to report them.
 */
export function getCachedContent(site: Site, root: string, base: string): Promise<Content> {
  const byBase = cache.get(site) ?? new Map<string, Promise<Content>>();
  cache.set(site, byBase);
  let content = byBase.get(base);
  if (content === undefined) {
    content = loadContent({
      contentRoot: path.resolve(root, site.config.content),
      runsRoot: site.runsRoot,
      experiments: site.archive.experiments.map((e) => ({ file: e.info.file, slug: e.info.slug, title: site.config.experimentTitle ?? e.title })),
      base,
    });
    byBase.set(base, content);
  }
  return content;
}
