import { metricDirection } from "./direction.ts";
import { compareDiagnostics, compareStrings, type Diagnostic } from "./diagnostics.ts";
import type { Config } from "./config.ts";
import { emptyDescriptions, type Descriptions } from "./descriptions.ts";
import { parseExperimentPath, orderExperiments, type ExperimentInfo } from "./experiments.ts";
import { parseLayout } from "./layout.ts";
import { experimentTitles } from "./titles.ts";
import { panelKeys, type HistoryFigureOptions } from "./figures.ts";
import { mergeTensorBoard } from "./formats/tensorboard.ts";
import type { Format, History, Series } from "./history.ts";
import type { MetricLabels } from "./labels.ts";
import { parseHistory } from "./load.ts";
import { stopTable, type StopTable } from "./stopTable.ts";

/** One history file as read from the run tree. */
export interface SourceFile {
  /** Root-relative path with forward slashes. */
  file: string;
  /** The file's bytes, or `null` when it could not be read (see `error`). */
  bytes: Uint8Array | null;
  /** Why the file could not be read (optional). */
  error?: string | undefined;
}

/** The best value of one series. */
export interface Best {
  series: string;
  metric: string;
  value: number;
  /** The epoch (or step, for step-axis series). */
  epoch: number;
}

/** Everything a page needs about one experiment. */
export interface Experiment {
  info: ExperimentInfo;
  /** A readable title from the path's parts and the description labels (see `experimentTitles`); a sidecar's `title` overrides it on the page. */
  title: string;
  history: History;
  /** Root-relative paths of the files the history was read from (several for TensorBoard). */
  sources: string[];
  /** How the figure is drawn: rendered later (in worker threads, or from the cache) by `historyFigure`. */
  figureOptions: HistoryFigureOptions;
  /** The figure's panels (metric and axis), in order: tables list metrics the same way. */
  panels: { metric: string; axis: "epoch" | "step" }[];
  /** Epochs in the last attempt, or `null` when the history has no epoch axis. */
  epochsRun: number | null;
  /** The `E` token, when the name has one. */
  epochsPlanned: number | null;
  /** The last step of step-axis series, or `null` when there are none. */
  lastStep: number | null;
  /** Best value of every validation metric whose direction is known, by metric. */
  bestValidation: Record<string, Best>;
  /** The early-stopping replay over the configured patience grid. */
  stops: StopTable;
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
  /** Files found under the root. */
  filesFound: number;
  /** Files read into an experiment page (`filesFound - filesWithoutPage`). */
  filesWithPage: number;
}

const tensorboardName = /(^|\/)events\.out\.tfevents\.[^/]*$/;

/**
 * Turns the files of a run tree into experiments (sorted by path, unique
 * slugs) and problems. Each file is one experiment, except TensorBoard event
 * files, which are merged per folder (TensorBoard starts a new file on every
 * restart). Every file ends up in an experiment or a problem, or both:
 * nothing is dropped silently.
 */
export function buildArchive(files: readonly SourceFile[], config: Config, labels: MetricLabels, descriptions: Descriptions = emptyDescriptions()): Archive {
  const problems: Problem[] = [];
  const units = new Map<string, SourceFile[]>();
  for (const source of files) {
    const key = tensorboardName.test(source.file) ? source.file.replace(/\/?[^/]*$/, "") || "." : source.file;
    units.set(key, [...(units.get(key) ?? []), source]);
  }
  const loaded: { key: string; history: History; sources: string[]; diagnostics: Diagnostic[] }[] = [];
  for (const [key, sources] of units) {
    const histories: History[] = [];
    const diagnostics: Diagnostic[] = [];
    for (const source of sources) {
      if (source.bytes === null) {
        problems.push({ file: source.file, fatal: true, diagnostics: [{ file: source.file, line: 0, reason: source.error ?? "file could not be read", fatal: true, ruleId: "unreadable" }] });
        continue;
      }
      const parsed = safely(source.file, () => parseHistory(source.bytes!, source.file, formatOverride(source.file, config.formats)));
      const result = "error" in parsed ? { history: null, diagnostics: [parsed.error] } : parsed.value;
      const fileDiagnostics = result.diagnostics.sort(compareDiagnostics);
      if (result.history === null) problems.push({ file: source.file, fatal: true, diagnostics: fileDiagnostics });
      else {
        histories.push(result.history);
        diagnostics.push(...fileDiagnostics);
      }
    }
    const history = histories.length > 1 ? mergeTensorBoard(histories) : histories[0];
    if (history) loaded.push({ key, history: { ...history, file: key }, sources: histories.map((h) => h.file), diagnostics });
  }
  const layout = config.layout === undefined ? undefined : parseLayout(config.layout);
  const infos = orderExperiments(loaded.map((l) => ({ ...parseExperimentPath(l.key, config.params, layout), loaded: l })));
  const titles = experimentTitles(infos, descriptions);
  const experiments: Experiment[] = [];
  for (const [i, { loaded: l, ...info }] of infos.entries()) {
    if (info.layoutMismatch) l.diagnostics.push(layoutMismatch(info.file, config.layout!));
    const made = safely(info.file, () => createExperiment(info, titles[i]!, l.history, l.sources, l.diagnostics, config, labels));
    if ("error" in made) problems.push({ file: info.file, fatal: true, diagnostics: [made.error] });
    else experiments.push(made.value);
  }
  // Files with a page and warnings (parsing, or the analysis) are problems too.
  for (const e of experiments) {
    const byFile = new Map<string, Diagnostic[]>();
    for (const d of e.diagnostics) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);
    for (const [file, list] of byFile) problems.push({ file, fatal: false, diagnostics: list.sort(compareDiagnostics) });
  }
  problems.sort((a, b) => compareStrings(a.file, b.file));
  return {
    experiments,
    problems,
    filesFound: files.length,
    filesWithPage: experiments.reduce((n, e) => n + e.sources.length, 0),
  };
}

/**
 * Runs one file's work so that a bug in runsite costs that file, not the
 * build: an exception becomes a fatal diagnostic naming the file.
 */
function safely<T>(file: string, work: () => T): { value: T } | { error: Diagnostic } {
  try {
    return { value: work() };
  } catch (error) {
    const reason = `runsite failed on this file (please report it): ${(error as Error).message}`;
    return { error: { file, line: 0, reason, fatal: true, ruleId: "internal-error" } };
  }
}

/** The format forced for a file by the longest matching folder prefix in `formats`, else `null`. */
export function formatOverride(file: string, formats: Readonly<Record<string, Format>>): Format | null {
  let best: { length: number; format: Format } | null = null;
  for (const [prefix, format] of Object.entries(formats)) {
    const folder = prefix.replace(/^\.?\/+|\/+$/g, "");
    const matches = folder === "" || file === folder || file.startsWith(`${folder}/`);
    if (matches && (best === null || folder.length > best.length)) best = { length: folder.length, format };
  }
  return best?.format ?? null;
}

/** The warning for a run whose path the configured layout does not fit. */
function layoutMismatch(file: string, pattern: string): Diagnostic {
  return { file, line: 0, reason: `the layout "${pattern}" does not match this path, so the run is named from its folders`, expected: `a path of the form ${pattern}`, actual: JSON.stringify(file), fatal: false, ruleId: "layout" };
}

function createExperiment(info: ExperimentInfo, title: string, history: History, sources: string[], diagnostics: Diagnostic[], config: Config, labels: MetricLabels): Experiment {
  const last = history.attempts[history.attempts.length - 1]!;
  const planned = info.params.find((p) => p.key === "E")?.value ?? null;
  const bestValidation: Record<string, Best> = {};
  for (const s of history.series) {
    if (s.split !== "validation" || s.role !== "metric" || s.attempt !== last.index || bestValidation[s.metric]) continue;
    const direction = metricDirection(s.metric, labels);
    const best = direction && bestOf(s, direction.mode);
    if (best) bestValidation[s.metric] = best;
  }
  const epochs = new Set(history.series.filter((s) => s.axis === "epoch" && s.attempt === last.index).flatMap((s) => s.x));
  const { grid, minDelta, semantics, precision } = config.earlyStopping;
  const stops = stopTable(history.series, { patience: grid, minDelta, semantics, ...(precision ? { precision } : {}), directions: labels, file: info.file, format: history.format });
  diagnostics.push(...stops.diagnostics);
  return {
    info,
    title,
    history,
    sources,
    figureOptions: { labels, earlyStopping: config.earlyStopping, logScale: config.logScale },
    panels: panelKeys(history.series, labels),
    stops,
    epochsRun: epochs.size > 0 ? epochs.size : null,
    lastStep: history.series.filter((s) => s.axis === "step" && s.role !== "other").reduce<number | null>((m, s) => (s.x.length > 0 ? Math.max(m ?? -Infinity, s.x[s.x.length - 1]!) : m), null),
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

/** A download of one source file of an experiment. */
export interface Download {
  /** Root-relative path of the source file. */
  source: string;
  /** Site path, without base: `files/<slug><ext>`, or `files/<slug>/<name>` when there are several. */
  path: string;
  /** The file's own name, suggested to the browser. */
  name: string;
}

/** Where each source file of an experiment can be downloaded, byte for byte. */
export function downloads(experiment: Experiment): Download[] {
  const { slug } = experiment.info;
  return experiment.sources.map((source) => {
    const name = source.split("/").pop() ?? source;
    const extension = /\.[A-Za-z0-9]{1,8}$/.exec(name)?.[0] ?? "";
    const path =
      experiment.sources.length === 1
        ? `files/${slug}${extension}`
        : `files/${slug}/${name.replace(/[^A-Za-z0-9._-]+/g, "-")}`;
    return { source, path, name };
  });
}

/** The files derived from an experiment, offered beside the figure and tables. */
export function experimentDownloads(experiment: Experiment): { name: string; label: string; path: string }[] {
  const base = `downloads/${experiment.info.slug}`;
  const items: [string, string][] = [
    ["history.json", "normalised history (JSON)"],
    ["figure.svg", "figure (SVG)"],
  ];
  if (experiment.stops.rows.length > 0) {
    items.push(["early-stopping.csv", "early stopping (CSV)"], ["early-stopping.tex", "early stopping (LaTeX)"], ["early-stopping.md", "early stopping (Markdown)"]);
  }
  return items.map(([name, label]) => ({ name, label, path: `${base}/${name}` }));
}
