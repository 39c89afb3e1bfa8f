import { findComparisons, type Comparison } from "./ablations.ts";
import type { Experiment } from "./archive.ts";
import { comparisonHomes, comparisonPageSize, comparisonSections, type ComparisonSection } from "./comparisonList.ts";
import { comparisonTable, type ComparisonTable } from "./comparisonTable.ts";
import type { Config } from "./config.ts";
import type { Descriptions } from "./descriptions.ts";
import type { Diagnostic } from "./diagnostics.ts";
import type { MetricLabels } from "./labels.ts";

/**
 * Where a comparison's figure is drawn: `"build"`, with the experiments'
 * (inline SVG, see `comparisonFigure`), or `"browser"`, by the page's script
 * from the members' `history.json` (src/client/compareGroup.ts).
 */
export type ComparisonDrawing = "build" | "browser";

/** A comparison with its best-value table and where its figure is drawn. */
export interface PreparedComparison {
  comparison: Comparison;
  table: ComparisonTable;
  draw: ComparisonDrawing;
  /**
   * Where the comparison is shown, below /compare/: `null` on its own page
   * (`<id>/`, figures drawn at build); drawn in the browser, a section of its
   * kind's page (`ablations/3/#<id>`), and `<id>/` sends the reader there
   * (see `comparisonHomes`).
   */
  home: string | null;
}

/**
 * Where an archive's comparison figures are drawn: at build time while there
 * are at most `limit` comparisons (`comparisonsDrawAtBuild`), else in the
 * reader's browser. All of an archive's comparisons are drawn the same way,
 * so a page does not depend on its neighbours' sizes, only on their number.
 */
export function comparisonDrawing(count: number, limit: number): ComparisonDrawing {
  return count <= limit ? "build" : "browser";
}

/**
 * Finds the archive's comparisons (automatic and declared in `config`) and
 * builds each one's best-value table. Problems with declared comparisons come
 * back as warnings. Winners must beat the next value by more than the
 * early-stopping `minDelta`; `descriptions` label the names in titles.
 * Beyond `comparisonsDrawAtBuild` comparisons, their figures are left to the
 * browser (see `comparisonDrawing`).
 */
export function buildComparisons(
  experiments: readonly Experiment[],
  config: Config,
  labels: MetricLabels,
  descriptions?: Descriptions,
): { comparisons: PreparedComparison[]; diagnostics: Diagnostic[] } {
  const { comparisons, diagnostics } = findComparisons(
    experiments.map((e) => e.info),
    { params: config.params, declared: config.comparisons, ...(descriptions !== undefined ? { descriptions } : {}) },
  );
  const bySlug = new Map(experiments.map((e) => [e.info.slug, e]));
  const draw = comparisonDrawing(comparisons.length, config.comparisonsDrawAtBuild);
  const homes = draw === "browser" ? comparisonHomes(comparisons) : null;
  return {
    comparisons: comparisons.map((comparison) => ({
      comparison,
      table: comparisonTable(comparison, bySlug, labels, config.earlyStopping.minDelta),
      draw,
      home: homes?.get(comparison.id) ?? null,
    })),
    diagnostics,
  };
}

/**
 * The comparisons by kind as /compare/ and /compare/<kind>/<n>/ show them: rows of a list when
 * the build draws their figures (each has its own page), sections when the browser does.
 */
export function comparisonListSections(prepared: readonly PreparedComparison[]): { draw: ComparisonDrawing; sections: ComparisonSection[] } {
  const draw = prepared.some((c) => c.draw === "browser") ? "browser" : "build";
  return {
    draw,
    sections: comparisonSections(
      prepared.map((c) => c.comparison),
      comparisonPageSize(draw),
    ),
  };
}
