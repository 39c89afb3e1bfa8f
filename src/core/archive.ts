import { metricDirection } from "./direction.ts";
import { compareDiagnostics, type Diagnostic } from "./diagnostics.ts";
import type { Config } from "./config.ts";
import { parseExperimentPath, orderExperiments, type ExperimentInfo } from "./experiments.ts";
import { historyFigure, type FigureSpec } from "./figures.ts";
import { parseKeras } from "./formats/keras.ts";
import type { History, Series } from "./history.ts";
import type { MetricLabels } from "./labels.ts";

/** One history file as read from the run tree. */
export interface SourceFile {
  /** Root-relative path with forward slashes. */
  file: string;
  /** The file's text, or `null` when it could not be read (see `error`). */
  text: string | null;
  /** Why the file could not be read (optional). */
  error?: string | undefined;
}

/** The best value of one series. */
export interface Best {
  series: string;
  metric: string;
  value: number;
  epoch: number;
}

/** Everything a page needs about one experiment. */
export interface Experiment {
  info: ExperimentInfo;
  history: History;
  figure: FigureSpec;
  /** Epochs in the last attempt. */
  epochsRun: number;
  /** The `E` token, when the name has one. */
  epochsPlanned: number | null;
  /** Best value of every validation metric whose direction is known, by metric. */
  bestValidation: Record<string, Best>;
  /** Non-fatal problems: the page is built, and shows them. */
  diagnostics: Diagnostic[];
}

/** A file that did not become a page, or became one with problems. */
export interface Problem {
  file: string;
  /** True when the file has no page. */
  fatal: boolean;
  diagnostics: Diagnostic[];
}

/** The whole archive, ready for pages. */
export interface Archive {
  experiments: Experiment[];
  problems: Problem[];
  /** Files found under the root: `experiments.length + problems without page`. */
  filesFound: number;
}

/**
 * Turns the files of a run tree into experiments (sorted by path, unique
 * slugs) and problems. Every file ends up as an experiment, a problem, or
 * both: nothing is dropped silently.
 */
export function buildArchive(files: readonly SourceFile[], config: Config, labels: MetricLabels): Archive {
  const experiments: Experiment[] = [];
  const problems: Problem[] = [];
  const infos = orderExperiments(files.map((f) => ({ ...parseExperimentPath(f.file, config.params), source: f })));
  for (const { source, ...info } of infos) {
    if (source.text === null) {
      problems.push({ file: source.file, fatal: true, diagnostics: [{ file: source.file, line: 0, reason: source.error ?? "file could not be read", fatal: true, ruleId: "unreadable" }] });
      continue;
    }
    const { history, diagnostics } = parseKeras(source.text, source.file);
    diagnostics.sort(compareDiagnostics);
    if (history === null) {
      problems.push({ file: source.file, fatal: true, diagnostics });
      continue;
    }
    if (diagnostics.length > 0) problems.push({ file: source.file, fatal: false, diagnostics });
    experiments.push(createExperiment(info, history, diagnostics, config, labels));
  }
  return { experiments, problems, filesFound: files.length };
}

function createExperiment(info: ExperimentInfo, history: History, diagnostics: Diagnostic[], config: Config, labels: MetricLabels): Experiment {
  const last = history.attempts[history.attempts.length - 1]!;
  const planned = info.params.find((p) => p.key === "E")?.value ?? null;
  const bestValidation: Record<string, Best> = {};
  for (const s of history.series) {
    if (s.split !== "validation" || s.role !== "metric" || s.attempt !== last.index) continue;
    const direction = metricDirection(s.metric, labels);
    const best = direction && bestOf(s, direction.mode);
    if (best) bestValidation[s.metric] = best;
  }
  return {
    info,
    history,
    figure: historyFigure(history, { labels, earlyStopping: config.earlyStopping }),
    epochsRun: last.lastEpoch - last.firstEpoch + 1,
    epochsPlanned: planned,
    bestValidation,
    diagnostics,
  };
}

/** The first epoch with the best finite value of a series. */
export function bestOf(series: Series, mode: "min" | "max"): Best | null {
  let best: Best | null = null;
  series.y.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) return;
    if (best === null || (mode === "min" ? v < best.value : v > best.value)) {
      best = { series: series.name, metric: series.metric, value: v, epoch: series.x[i]! };
    }
  });
  return best;
}
