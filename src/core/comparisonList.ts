import type { Comparison, ComparisonKind } from "./ablations.ts";

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
  /** The comparisons in pages of `comparisonsPerPage`; one page when they fit /compare/ itself. */
  pages: Comparison[][];
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
    return [{ kind, segment, title, note, count: list.length, varies: [...varies].map(([label, count]) => ({ label, count })), pages }];
  });
}

/** The path below /compare/ of a kind's `page`-th list page (from 1): `ablations/`, `ablations/2/`. */
export function comparisonPagePath(segment: string, page: number): string {
  return page === 1 ? `${segment}/` : `${segment}/${page}/`;
}
