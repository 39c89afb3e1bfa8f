import { parseCell } from "../csv.ts";
import { quote, type Diagnostic } from "../diagnostics.ts";
import type { Hyperparameters, ParseResult } from "../history.ts";
import { PointCollector } from "./points.ts";
import { near, no, yes, type FormatModule } from "./formatModule.ts";

/** One metric line of the MLflow file store: `timestamp value step` (old stores omit the step). */
const metricLine = /^\s*(\d+)\s+(\S+)(?:\s+(-?\d+))?\s*$/;

/** A file of an MLflow run folder, with its path relative to the run folder (`metrics/train/loss`). */
export interface RunFile {
  /** Path relative to the run folder, forward slashes. */
  name: string;
  /** Root-relative path, for diagnostics. */
  file: string;
  text: string;
}

/**
 * Reads the lines of one MLflow metric file into `points` under `name`;
 * diagnostics for lines that are not `timestamp value step`.
 */
function readMetric(points: PointCollector, name: string, text: string, file: string, diagnostics: Diagnostic[]): void {
  const lines = text.split("\n");
  let bad: Diagnostic | null = null;
  let badCount = 0;
  lines.forEach((raw, i) => {
    if (raw.trim() === "") return;
    const m = metricLine.exec(raw);
    const cell = m === null ? null : parseCell(m[2]!);
    if (m === null || cell === null || "error" in cell) {
      badCount++;
      const last = i === lines.length - 1 && !text.endsWith("\n");
      bad ??= {
        file,
        line: i + 1,
        reason: last ? "last line is incomplete (the file may still be being written); left out" : "line is not 'timestamp value step'; left out",
        expected: "e.g. 1700000000000 0.53 12",
        actual: quote(raw),
        fatal: false,
        ruleId: last ? "truncated-row" : "bad-line",
      };
      return;
    }
    // Old stores write no step; MLflow reads those as step 0, which would stack every value on one x: use the line's order.
    const step = m[3] === undefined ? i : Number(m[3]);
    points.rows++;
    points.add(name, "step", step, cell.value);
  });
  if (bad !== null) {
    const d = bad as Diagnostic;
    if (badCount > 1) d.reason = `${badCount} lines are not 'timestamp value step', the first here; left out`;
    diagnostics.push(d);
  }
}

/**
 * Reads an MLflow file-store run folder (`mlruns/<experiment>/<run>/`):
 * every file under `metrics/` is one metric, named by its path there (a
 * metric `train/loss` is the nested file `metrics/train/loss`), whose lines
 * are `timestamp value step` (axis step; a repeated step keeps the later
 * line); the files under `params/` are the hyperparameters (one value per
 * file); the tag `tags/mlflow.runName` is the run's name. `file` is the
 * run folder. Never throws.
 */
export function parseMlflowRun(files: readonly RunFile[], folder: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const points = new PointCollector();
  const values: Hyperparameters["values"] = {};
  let runName: string | undefined;
  for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (f.name.startsWith("metrics/")) readMetric(points, f.name.slice("metrics/".length), f.text, f.file, diagnostics);
    else if (f.name.startsWith("params/")) values[f.name.slice("params/".length)] = f.text.replace(/\r?\n$/, "");
    else if (f.name === "tags/mlflow.runName") runName = f.text.trim() || undefined;
  }
  if (points.size === 0) {
    diagnostics.push({
      file: folder,
      line: 0,
      reason: "MLflow run folder has no metric values",
      expected: "files under metrics/ with lines 'timestamp value step'",
      fatal: true,
      ruleId: "no-rows",
    });
    return { history: null, diagnostics };
  }
  const hyperparameters: Hyperparameters[] = Object.keys(values).length > 0 ? [{ source: `${folder}/params`, values }] : [];
  return {
    history: {
      file: folder,
      format: "mlflow",
      columns: points.names(),
      series: points.series(),
      attempts: [points.attempt(1)],
      resumes: [],
      ...(hyperparameters.length ? { hyperparameters } : {}),
      ...(runName ? { runName } : {}),
    },
    diagnostics,
  };
}

/** Reads one MLflow metric file on its own (`runsite inspect mlruns/0/<run>/metrics/loss`): one series named by the file. */
export function parseMlflowMetric(text: string, file: string): ParseResult {
  const name = file.includes("/metrics/") ? file.slice(file.lastIndexOf("/metrics/") + "/metrics/".length) : (file.split("/").pop() ?? file);
  return parseMlflowRun([{ name: `metrics/${name}`, file, text }], file);
}

const mlflowLine = /^\d{10,}\s+\S+(\s+-?\d+)?$/;

/** The MLflow metric file format: its names, folder shape, sniff and parser (see `registry.ts`). */
export const mlflowFormat: FormatModule = {
  format: "mlflow",
  label: "MLflow metric file",
  names: /(^|\/)metrics\/[^.]+$/,
  folder: "mlruns/<experiment>/<run>/{meta.yaml, metrics/, params/, tags/}",
  sniff: (h) => {
    const lines = h.text
      .split(/\r?\n/)
      .filter((l) => l.trim() !== "")
      .slice(0, 20);
    if (
      lines.length > 0 &&
      lines
        .slice(0, -1)
        .concat(lines.length === 1 ? lines : [])
        .every((l) => mlflowLine.test(l.trim()))
    )
      return yes;
    return /(^|\/)metrics\/[^/.]+$/.test(h.name) && lines.length > 0 ? near(`line 1 is not 'timestamp value step' (got ${JSON.stringify(lines[0]!.slice(0, 30))})`) : no;
  },
  parse: (_bytes, text, file) => parseMlflowMetric(text, file),
};
