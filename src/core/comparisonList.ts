import type { Comparison, ComparisonKind } from "./ablations.ts";
import type { ComparisonDrawing } from "./comparisons.ts";
import { escapeHtml } from "./pageFailure.ts";

/** How the list of comparisons names and explains each kind, in the order shown; `segment` is its pages' URL (`/compare/<segment>/`). */
export const comparisonKinds: readonly { kind: ComparisonKind; segment: string; title: string; note: string }[] = [
  { kind: "declared", segment: "declared", title: "Declared comparisons", note: "Declared in the configuration (comparisons)." },
  { kind: "ablation", segment: "ablations", title: "Ablations", note: "Experiments that agree on every setting but one (the date aside)." },
  { kind: "repeats", segment: "repeats", title: "Repeats", note: "Experiments with the same settings, run on different dates." },
];

/** Rows per page of a kind's list: /compare/ lists a kind in full up to this many, else links its pages. */
export const comparisonsPerPage = 100;

/** One kind of comparison in the list: how many, what varies in them, and its rows cut into pages. */
export interface ComparisonSection {
  kind: ComparisonKind;
  segment: string;
  title: string;
  note: string;
  count: number;
  /** How many comparisons vary each field, in order of first appearance (model, dataset, …). */
  varies: { label: string; count: number }[];
  /** The comparisons in pages of `perPage`; one page when they fit /compare/ itself. */
  pages: Comparison[][];
  perPage: number;
}

/**
 * The archive's comparisons by kind (declared, ablations, repeats), each
 * with its count, the fields varied and its rows cut into pages, for
 * /compare/ and /compare/<kind>/<n>/. An archive of 1 000 experiments has
 * ~2 000 comparisons: one page listing them all weighed 1.75 MB. Kinds with
 * no comparison are left out.
 */
export function comparisonSections(comparisons: readonly Comparison[], perPage = comparisonsPerPage): ComparisonSection[] {
  return comparisonKinds.flatMap(({ kind, segment, title, note }) => {
    const list = comparisons.filter((c) => c.kind === kind);
    if (list.length === 0) return [];
    const varies = new Map<string, number>();
    for (const c of list) varies.set(c.varyLabel, (varies.get(c.varyLabel) ?? 0) + 1);
    const pages = Array.from({ length: Math.ceil(list.length / perPage) }, (_, i) => list.slice(i * perPage, (i + 1) * perPage));
    return [{ kind, segment, title, note, count: list.length, varies: [...varies].map(([label, count]) => ({ label, count })), pages, perPage }];
  });
}

/** The path below /compare/ of a kind's `page`-th list page (from 1): `ablations/`, `ablations/2/`. */
export function comparisonPagePath(segment: string, page: number): string {
  return page === 1 ? `${segment}/` : `${segment}/${page}/`;
}

/**
 * Comparisons per page of a kind when the browser draws them: each is a
 * section (title, description, its figure drawn when scrolled to, its table)
 * rather than a row, about 3.5 KB each.
 */
export const comparisonsPerSectionPage = 50;

/** Comparisons per page of a kind: rows of a list when the build draws their figures (each has its own page), sections when the browser does. */
export function comparisonPageSize(draw: ComparisonDrawing): number {
  return draw === "browser" ? comparisonsPerSectionPage : comparisonsPerPage;
}

/**
 * Where each comparison lives when the browser draws them: its section on
 * its kind's pages, `<kind>/<n>/#<id>` below /compare/ (the fragment
 * percent-encoded but for its slashes). A site of 2 000 comparisons wrote 2 000
 * pages of ~8 KB, 30 % of the site, each mostly the site's frame; a section
 * holds the same title, description, figure and table. `/compare/<id>/` stays,
 * as a small page that sends the reader to the section (links and citations
 * keep working), rewritten when the section moves to another page.
 */
export function comparisonHomes(comparisons: readonly Comparison[]): Map<string, string> {
  const homes = new Map<string, string>();
  for (const section of comparisonSections(comparisons, comparisonPageSize("browser"))) {
    section.pages.forEach((page, i) => {
      for (const c of page) homes.set(c.id, `${comparisonPagePath(section.segment, i + 1)}#${comparisonAnchor(c.id)}`);
    });
  }
  return homes;
}

/** A comparison's id as a URL fragment: percent-encoded, its slashes kept (the section's `id` is the id itself). */
export function comparisonAnchor(id: string): string {
  return encodeURIComponent(id).replaceAll("%2F", "/");
}

/**
 * The page at a comparison's own address when it is a section elsewhere (`target`): a redirect, with a link for readers whose browser does not follow it.
 * `icon` is the site's favicon: without one the browser asks for /favicon.ico, which the site does not have.
 */
export function comparisonRedirect(title: string, target: string, icon: string): string {
  const [t, u, i] = [escapeHtml(title), escapeHtml(target), escapeHtml(icon)];
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${t}</title><meta name="robots" content="noindex"><link rel="icon" type="image/svg+xml" href="${i}"><link rel="canonical" href="${u}"><meta http-equiv="refresh" content="0; url=${u}"></head><body><p>This comparison is on <a href="${u}">${t}</a>.</p></body></html>\n`;
}
