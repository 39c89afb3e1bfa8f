import { findComparisons, type Comparison } from "./ablations.ts";
import type { Experiment } from "./archive.ts";
import { comparisonTable, type ComparisonTable } from "./comparisonTable.ts";
import type { Config } from "./config.ts";
import type { Descriptions } from "./descriptions.ts";
import type { Diagnostic } from "./diagnostics.ts";
import type { MetricLabels } from "./labels.ts";

/** A comparison with its best-value table; its figure is drawn with the experiments' (see `comparisonFigure`). */
export interface PreparedComparison {
  comparison: Comparison;
  table: ComparisonTable;
}

/**
 * Finds the archive's comparisons (automatic and declared in `config`) and
 * builds each one's best-value table. Problems with declared comparisons come
 * back as warnings. Winners must beat the next value by more than the
 * early-stopping `minDelta`; `descriptions` label the names in titles.
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
  return {
    comparisons: comparisons.map((comparison) => ({
      comparison,
      table: comparisonTable(comparison, bySlug, labels, config.earlyStopping.minDelta),
    })),
    diagnostics,
  };
}
