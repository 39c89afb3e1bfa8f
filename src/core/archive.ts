import { metricDirection } from "./direction.ts";
import { compareDiagnostics, compareStrings, type Diagnostic } from "./diagnostics.ts";
import type { Config } from "./config.ts";
import { emptyDescriptions, type Descriptions } from "./descriptions.ts";
import { parseExperimentPath, orderExperiments, type ExperimentInfo } from "./experiments.ts";
import { parseLayout } from "./layout.ts";
import { experimentTitles } from "./titles.ts";
import { panelKeys, type HistoryFigureOptions } from "./figures.ts";
import { mergeTensorBoard } from "./formats/tensorboard.ts";
import type { Format, History, Hyperparameters, Series, Split } from "./history.ts";
import type { MetricLabels } from "./labels.ts";
import { parseHyperparametersYaml } from "./formats/hyperparameters.ts";
import { parseMlflowRun } from "./formats/mlflow.ts";
import { decodeUtf8, parseHistory } from "./load.ts";
import { groupRunUnits, type RunUnit } from "./runUnits.ts";
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
  /** Root-relative paths of the files the history was read from (several for TensorBoard, MLflow), with its hyperparameter and summary files. */
  sources: string[];
  /** Files of the run that were not read but belong to it (older checkpoints' states, MLflow's meta.yaml). */
  accounted: string[];
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
  /** Files read into (or accounted to) an experiment page (`filesFound - filesWithoutPage`). */
  filesWithPage: number;
}

/**
 * Turns the files of a run tree into experiments (sorted by path, unique
 * slugs) and problems. Files are grouped into runs first (`groupRunUnits`):
 * a file is a run, except folder-shaped runs (TensorBoard folders, MLflow
 * run folders, nnU-Net folds, Hugging Face output folders), and the YAML
 * and summary files that belong to a run. Every file ends up in an
 * experiment or a problem, or both: nothing is dropped silently.
 */
export function buildArchive(files: readonly SourceFile[], config: Config, labels: MetricLabels, descriptions: Descriptions = emptyDescriptions(), memo?: RunMemo): Archive {
  const problems: Problem[] = [];
  const byFile = new Map(files.map((f) => [f.file, f]));
  const loaded: Loaded[] = [];
  for (const unit of groupRunUnits(files.map((f) => f.file))) {
    const remembered = memo?.get(unit);
    const made = remembered !== undefined ? { value: remembered } : safely(unit.key, () => loadUnit(unit, byFile, config));
    if ("error" in made) problems.push({ file: unit.key, fatal: true, diagnostics: [made.error] });
    else {
      if (remembered === undefined) memo?.set(unit, made.value);
      loaded.push(...made.value.loaded);
      problems.push(...made.value.problems);
    }
  }
  const layout = config.layout === undefined ? undefined : parseLayout(config.layout);
  const infos = orderExperiments(loaded.map((l) => ({ ...runNamed(parseExperimentPath(l.key, config.params, layout), l.history), loaded: l })));
  const titles = experimentTitles(infos, descriptions);
  const experiments: Experiment[] = [];
  for (const [i, { loaded: l, ...info }] of infos.entries()) {
    if (info.layoutMismatch) l.diagnostics.push(layoutMismatch(info.file, config.layout!));
    const made = safely(info.file, () => createExperiment(info, titles[i]!, l.history, l.sources, l.diagnostics, config, labels));
    if ("error" in made) problems.push({ file: info.file, fatal: true, diagnostics: [made.error] });
    else experiments.push({ ...made.value, accounted: l.accounted });
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
    // Distinct files: a W&B export is the source of one page per run.
    filesWithPage: new Set(experiments.flatMap((e) => [...e.sources, ...e.accounted])).size,
  };
}

/** What reading one run gives: the run (none when it has no readable history) and the problems of its files. */
export interface RunRead {
  loaded: Loaded[];
  problems: Problem[];
}

/**
 * Runs already read, kept by the caller between builds (io/parseCache.ts keys
 * them on the bytes of the run's files, runsite's code and the format
 * settings). `get` returns a value the build may change; `set` is called
 * before the build changes it.
 */
export interface RunMemo {
  get(unit: RunUnit): RunRead | undefined;
  set(unit: RunUnit, read: RunRead): void;
}

/** One run read: its history and the files behind it. */
export interface Loaded {
  key: string;
  history: History;
  /** Files read (histories, hyperparameters, summaries). */
  sources: string[];
  /** Files of the run not read (older checkpoints, MLflow meta.yaml). */
  accounted: string[];
  diagnostics: Diagnostic[];
}

/** The problem of a file that belongs to a run with no readable history. */
function partOf(file: string, unit: RunUnit): Problem {
  return { file, fatal: true, diagnostics: [{ file, line: 0, reason: `part of the run ${unit.key}, which has no readable history`, fatal: true, ruleId: "run-unreadable" }] };
}

/** A diagnostic for a file that could not be read from disk. */
function unreadable(source: SourceFile): Problem {
  return { file: source.file, fatal: true, diagnostics: [{ file: source.file, line: 0, reason: source.error ?? "file could not be read", fatal: true, ruleId: "unreadable" }] };
}

/**
 * Reads one run: its history files (merged when there are several), then its
 * hyperparameters and summaries. A file of a folder-shaped run that cannot
 * be read costs a warning when the run's other files give a history.
 */
function loadUnit(unit: RunUnit, byFile: ReadonlyMap<string, SourceFile>, config: Config): RunRead {
  const problems: Problem[] = [];
  const sources = (list: readonly string[]) => list.map((f) => byFile.get(f)!);
  const readable = (list: readonly string[]) => sources(list).filter((s) => (s.bytes === null ? (problems.push(unreadable(s)), false) : true));
  const extras = () => {
    const hyperparameters: Hyperparameters[] = [];
    const summaries: Hyperparameters[] = [];
    const diagnostics: Diagnostic[] = [];
    const read: string[] = [];
    for (const s of readable(unit.hyperparameters)) {
      const parsed = parseHyperparametersYaml(decodeUtf8(s.bytes!, s.file).text, s.file);
      diagnostics.push(...parsed.diagnostics);
      if (parsed.value) hyperparameters.push(parsed.value);
      read.push(s.file);
    }
    for (const s of readable(unit.summaries)) {
      const parsed = parseHistory(s.bytes!, s.file, "hf-summary");
      diagnostics.push(...parsed.diagnostics.filter((d) => d.ruleId !== "summary-only"));
      if (parsed.summary) summaries.push(parsed.summary);
      read.push(s.file);
    }
    return { hyperparameters, summaries, diagnostics, read };
  };

  if (unit.kind === "summary" || unit.kind === "sidecar") {
    // Nothing to plot: each file is listed as a problem with its (non-fatal) reason and gets no page.
    for (const s of readable([...unit.summaries, ...unit.hyperparameters])) {
      const diagnostics: Diagnostic[] =
        unit.kind === "summary"
          ? parseHistory(s.bytes!, s.file, "hf-summary").diagnostics
          : [
              {
                file: s.file,
                line: 0,
                reason: "hyperparameters without a history: no training log in the same folder",
                expected: "a results.csv or metrics.csv beside it",
                fatal: false,
                ruleId: "sidecar-only",
              },
            ];
      problems.push({ file: s.file, fatal: true, diagnostics: diagnostics.sort(compareDiagnostics) });
    }
    return { loaded: [], problems };
  }

  const histories: History[] = [];
  const diagnostics: Diagnostic[] = [];
  const failed: Problem[] = [];
  let parts: History[] | undefined;
  if (unit.kind === "mlflow") {
    const files = readable(unit.histories).map((s) => ({ name: s.file.slice(unit.key === "." ? 0 : unit.key.length + 1), file: s.file, text: decodeUtf8(s.bytes!, s.file).text }));
    const result = parseMlflowRun(files, unit.key);
    if (result.history) {
      histories.push(result.history);
      diagnostics.push(...result.diagnostics);
    } else if (files[0] !== undefined) failed.push({ file: files[0].file, fatal: true, diagnostics: result.diagnostics.map((d) => ({ ...d, file: files[0]!.file })) });
    const rest = files.slice(result.history ? files.length : 1).map((f) => f.file);
    if (!result.history) for (const file of rest) failed.push(partOf(file, unit));
  } else {
    for (const source of readable(unit.histories)) {
      const parsed = safely(source.file, () => parseHistory(source.bytes!, source.file, formatOverride(source.file, config.formats)));
      const result = "error" in parsed ? { history: null, diagnostics: [parsed.error] } : parsed.value;
      const fileDiagnostics = result.diagnostics.sort(compareDiagnostics);
      if (result.history === null) failed.push({ file: source.file, fatal: true, diagnostics: fileDiagnostics });
      else {
        histories.push(unit.kind === "tensorboard" ? splitBySubfolder(result.history, unit.key) : result.history);
        diagnostics.push(...fileDiagnostics);
        if ("parts" in result && result.parts && result.parts.length > 1) parts = result.parts;
      }
    }
  }
  if (histories.length === 0) {
    // Nothing to show: every file of the run is listed, the ones that were not read as part of it.
    const others = sources([...unit.accounted, ...unit.hyperparameters, ...unit.summaries]).map((s) => (s.bytes === null ? unreadable(s) : partOf(s.file, unit)));
    return { loaded: [], problems: [...problems, ...failed, ...others] };
  }
  // In a folder-shaped run, a file that gives nothing (an empty event file) is a warning on the run.
  for (const f of failed) diagnostics.push(...f.diagnostics.map((d) => ({ ...d, fatal: false })));
  const history = unit.kind === "tensorboard" ? mergeTensorBoard(histories)! : histories.length > 1 ? mergeLaterWins(histories) : histories[0]!;
  if (history.series.length === 0) {
    // Recognised, but not one value (an event file with only its version record): no page, and only warnings.
    const files = [...unit.histories, ...unit.hyperparameters, ...unit.summaries, ...unit.accounted];
    const warnings = new Map<string, Diagnostic[]>();
    for (const d of diagnostics) warnings.set(d.file, [...(warnings.get(d.file) ?? []), { ...d, fatal: false }]);
    const empty = (file: string): Diagnostic => ({ file, line: 0, reason: `no page: the run ${unit.key} holds no values`, fatal: false, ruleId: "no-values" });
    return {
      loaded: [],
      problems: [
        ...problems,
        ...sources(files)
          .filter((s) => s.bytes !== null)
          .map((s) => ({ file: s.file, fatal: true, diagnostics: warnings.get(s.file) ?? [empty(s.file)] })),
      ],
    };
  }
  const extra = extras();
  diagnostics.push(...extra.diagnostics);
  const read = [...histories.map((h) => h.file).filter((f) => f !== unit.key || unit.kind !== "mlflow"), ...extra.read];
  const mlflowSources = unit.kind === "mlflow" ? unit.histories.filter((f) => byFile.get(f)?.bytes !== null) : [];
  const withExtras = (h: History): History => ({
    ...h,
    ...(extra.hyperparameters.length || h.hyperparameters?.length ? { hyperparameters: [...(h.hyperparameters ?? []), ...extra.hyperparameters] } : {}),
    ...(extra.summaries.length ? { summaries: extra.summaries } : {}),
  });
  const failedFiles = failed.map((f) => f.file);
  if (parts !== undefined) {
    // Several runs in one file (a W&B export): one experiment per run, each with the file as its source
    // (so an incremental build redraws them all when it changes); its warnings are listed once.
    return {
      loaded: parts.map((p, i) => ({
        key: `${unit.key}/${p.runName ?? i}`,
        history: withExtras({ ...p, file: `${unit.key}/${p.runName ?? i}` }),
        sources: [unit.key],
        accounted: [],
        diagnostics: i === 0 ? diagnostics : [],
      })),
      problems,
    };
  }
  return {
    loaded: [
      {
        key: unit.key,
        history: withExtras({ ...history, file: unit.key }),
        sources: unit.kind === "mlflow" ? [...mlflowSources, ...extra.read] : [...read, ...failedFiles],
        accounted: unit.accounted,
        diagnostics,
      },
    ],
    problems,
  };
}

const splitOfFolder: Readonly<Record<string, Split>> = { train: "train", training: "train", validation: "validation", val: "validation", eval: "validation", test: "test" };

/**
 * Event files in `<run>/train/` and `<run>/validation/` (Keras' TensorBoard
 * callback) log the same tags (`epoch_loss`): their series are named
 * `<folder>/<tag>` with the folder's split, so the two never merge.
 */
function splitBySubfolder(history: History, key: string): History {
  const folder = history.file.slice(key === "." ? 0 : key.length + 1).split("/")[0] ?? "";
  const split = history.file.split("/").length > (key === "." ? 1 : key.split("/").length + 1) ? splitOfFolder[folder] : undefined;
  if (split === undefined) return history;
  return {
    ...history,
    series: history.series.map((s) => (s.role === "other" && s.name === "wall_time" ? s : { ...s, name: `${folder}/${s.name}`, split: s.split === "train" ? split : s.split })),
  };
}

/** Merges histories of one run written one after the other (nnU-Net logs of a continued training): the later file wins at a repeated x. */
function mergeLaterWins(histories: readonly History[]): History {
  const first = histories[0]!;
  const merged = new Map<string, { template: Series; points: Map<number, number | null> }>();
  for (const h of histories) {
    for (const s of h.series) {
      const key = `${s.axis}\u0000${s.name}`;
      let entry = merged.get(key);
      if (entry === undefined) merged.set(key, (entry = { template: s, points: new Map() }));
      s.x.forEach((x, i) => {
        entry.points.set(x, s.y[i] ?? null);
      });
    }
  }
  const series = [...merged.values()].map(({ template, points }) => {
    const x = [...points.keys()].sort((a, b) => a - b);
    return { ...template, attempt: 0, x, y: x.map((v) => points.get(v) ?? null) };
  });
  const xs = series.flatMap((s) => s.x);
  const rows = histories.reduce((n, h) => n + h.attempts.reduce((m, a) => m + a.rows, 0), 0);
  return {
    ...first,
    columns: [...new Set(histories.flatMap((h) => h.columns))],
    series,
    attempts: [{ index: 0, line: first.attempts[0]?.line ?? 1, firstEpoch: xs.length ? Math.min(...xs) : 0, lastEpoch: xs.length ? Math.max(...xs) : 0, rows }],
    resumes: [],
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

/**
 * An MLflow run folder is named by an id (`2131d384…`): where its tags give
 * the run's name (`mlflow.runName`), that is the run's name.
 */
function runNamed(info: ExperimentInfo, history: History): ExperimentInfo {
  if (history.format !== "mlflow" || history.runName === undefined) return info;
  return {
    ...info,
    run: history.runName,
    name: info.project === undefined ? history.runName : `${info.project} / ${history.runName}`,
    parts: { ...info.parts, run: history.runName },
  };
}

/** The warning for a run whose path the configured layout does not fit. */
function layoutMismatch(file: string, pattern: string): Diagnostic {
  return {
    file,
    line: 0,
    reason: `the layout "${pattern}" does not match this path, so the run is named from its folders`,
    expected: `a path of the form ${pattern}`,
    actual: JSON.stringify(file),
    fatal: false,
    ruleId: "layout",
  };
}

function createExperiment(
  info: ExperimentInfo,
  title: string,
  history: History,
  sources: string[],
  diagnostics: Diagnostic[],
  config: Config,
  labels: MetricLabels,
): Omit<Experiment, "accounted"> {
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
  const { grid, minDelta, semantics } = config.earlyStopping;
  const stops = stopTable(history.series, { patience: grid, minDelta, semantics, directions: labels, file: info.file });
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
    lastStep: history.series
      .filter((s) => s.axis === "step" && s.role !== "other")
      .reduce<number | null>((m, s) => (s.x.length > 0 ? Math.max(m ?? -Infinity, s.x[s.x.length - 1]!) : m), null),
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
  const key = experiment.info.file;
  return experiment.sources.map((source) => {
    const name = source.split("/").pop() ?? source;
    // Inside a run folder, the path below it keeps names apart (MLflow's metrics/loss and params/loss).
    const inside = source.startsWith(`${key}/`) ? source.slice(key.length + 1) : name;
    const extension = /\.[A-Za-z0-9]{1,8}$/.exec(name)?.[0] ?? "";
    const path = experiment.sources.length === 1 ? `files/${slug}${extension}` : `files/${slug}/${inside.replace(/[^A-Za-z0-9._-]+/g, "-")}`;
    return { source, path, name };
  });
}

/**
 * The files derived from an experiment that the site writes: one,
 * `downloads/<slug>/history.json` (the `inspect --json` document). The figure
 * and early-stopping downloads are made from it and the page in the reader's
 * browser (see `generatedDownloads`), so the site stores the figure once.
 */
export function experimentDownloads(experiment: Experiment): { name: string; label: string; path: string }[] {
  return [{ name: "history.json", label: "normalised history (JSON)", path: `downloads/${experiment.info.slug}/history.json` }];
}
