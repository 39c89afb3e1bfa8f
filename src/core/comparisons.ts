import { findComparisons, type Comparison } from "./ablations.ts";
import type { Experiment } from "./archive.ts";
import { comparisonFigure } from "./comparisonFigure.ts";
import { comparisonTable, type ComparisonTable } from "./comparisonTable.ts";
import type { Config } from "./config.ts";
import type { Diagnostic } from "./diagnostics.ts";
import type { FigureSpec } from "./figures.ts";
import type { MetricLabels } from "./labels.ts";

/** A comparison with what its page shows. */
export interface PreparedComparison {
  comparison: Comparison;
  figure: FigureSpec;
  table: ComparisonTable;
}

/**
 * Finds the archive's comparisons (automatic and declared in `config`) and
 * builds each one's figure and best-value table, with the figures' early
 * stopping (`config.earlyStopping.patience`) and log-scale policy. Problems
 * with declared comparisons come back as warnings.
 */
export function buildComparisons(experiments: readonly Experiment[], config: Config, labels: MetricLabels): { comparisons: PreparedComparison[]; diagnostics: Diagnostic[] } {
  const { comparisons, diagnostics } = findComparisons(
    experiments.map((e) => e.info),
    { params: config.params, declared: config.comparisons },
  );
  return {
    comparisons: comparisons.map((comparison) => ({
      comparison,
      figure: comparisonFigure(comparison, experiments, { labels, earlyStopping: config.earlyStopping, logScale: config.logScale }),
      table: comparisonTable(comparison, experiments, labels),
    })),
    diagnostics,
  };
}
