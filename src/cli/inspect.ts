import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { compareDiagnostics, formatDiagnostic } from "../core/diagnostics.ts";
import { formats, type Format } from "../core/history.ts";
import { inspectDocument } from "../core/inspect.ts";
import { parseMetricLabels } from "../core/labels.ts";
import { parseHistory } from "../core/load.ts";
import { stopSemantics, type StopSemantics } from "../core/earlyStopping.ts";
import { buildArchive } from "../core/archive.ts";
import type { Config } from "../core/config.ts";
import type { Diagnostic } from "../core/diagnostics.ts";
import type { History } from "../core/history.ts";
import { readSources, scanRuns } from "../io/scan.ts";
import { formatStopTable, stopTable } from "../core/stopTable.ts";
import { loadConfig } from "./build.ts";
import { CliError, exitCodes } from "./errors.ts";
import type { CliValues } from "./main.ts";

/** `runsite inspect FILE|FOLDER`: one history's series and early-stopping table, as JSON or text; a folder is one run (MLflow, TensorBoard). */
export async function inspectCommand(file: string, values: CliValues): Promise<number> {
  const cwd = process.cwd();
  const config = await loadConfig(cwd, values);
  const minDelta = values["min-delta"] === undefined ? config.earlyStopping.minDelta : parseNumber("--min-delta", values["min-delta"]);
  const patience = values.patience === undefined ? config.earlyStopping.grid : values.patience.split(",").map((p) => parseNumber("--patience", p, true));
  const semantics = (values.semantics ?? config.earlyStopping.semantics) as StopSemantics;
  if (!stopSemantics.includes(semantics)) throw new CliError(`invalid --semantics: ${semantics} (expected ${stopSemantics.map((s) => `"${s}"`).join(", ")})`);
  // The configured precision belongs to the configured semantics; another --semantics takes its own default.
  const precision = values.semantics === undefined ? config.earlyStopping.precision : undefined;
  const format = values.format ?? null;
  if (format !== null && !formats.includes(format as Format)) throw new CliError(`invalid --format: ${format} (expected ${formats.join(", ")})`);

  const full = path.resolve(cwd, file);
  const isFolder = (await stat(full).catch(() => null))?.isDirectory() ?? false;
  const labelsFile = path.join(config.content, "labels", "metrics.yml");
  const labelsText = await readFile(labelsFile, "utf8").catch(() => null);
  const labels = labelsText === null ? {} : parseMetricLabels(labelsText, labelsFile).labels;
  const name = file.split(path.sep).join("/").replace(/\/+$/, "");
  const result = isFolder ? await readFolder(full, name, config) : parseHistory(await readBytes(full, file), name, format as Format | null);
  const { history, diagnostics } = result;
  // A W&B chart export holds several runs; inspect shows the first and says so.
  const parts = (result as { parts?: History[] }).parts ?? [];
  if (parts.length > 1 && !values.json) console.error(`${name}: ${parts.length} runs in this file (${parts.map((p) => p.runName).join(", ")}); showing ${parts[0]!.runName}`);
  const stops = history
    ? stopTable(history.series, { patience, minDelta, semantics, ...(precision ? { precision } : {}), directions: labels, file: name, format: history.format })
    : { rows: [], diagnostics: [] };
  const all = [...diagnostics, ...stops.diagnostics].sort(compareDiagnostics);
  if (values.json) console.log(JSON.stringify(inspectDocument(name, history, stops.rows, all)));
  else {
    for (const d of all) console.error(formatDiagnostic(d));
    if (history) {
      console.log(`${name}: ${history.format}, ${history.series.length} series, ${history.attempts.length} attempt(s)`);
      console.log(formatStopTable(stops.rows, "markdown"));
    }
  }
  return history === null ? exitCodes.problems : exitCodes.ok;
}

async function readBytes(full: string, file: string): Promise<Uint8Array> {
  const bytes = await readFile(full).catch((error: Error) => {
    throw new CliError(`cannot read ${file}: ${error.message}`, exitCodes.problems);
  });
  return new Uint8Array(bytes);
}

/**
 * Reads a folder-shaped run (an MLflow run folder, a TensorBoard folder, an
 * nnU-Net fold, a Hugging Face output folder) the way the build does: its
 * files are grouped into runs, and it must hold exactly one.
 */
async function readFolder(full: string, name: string, config: Config): Promise<{ history: History | null; diagnostics: Diagnostic[] }> {
  const sources = await readSources(await scanRuns(full, config.extensions));
  const archive = buildArchive(sources, { ...config, formats: {} }, {});
  const prefix = (d: Diagnostic): Diagnostic => ({ ...d, file: d.file === "." ? name : `${name}/${d.file}` });
  const diagnostics = archive.problems.flatMap((p) => p.diagnostics).map(prefix);
  if (archive.experiments.length !== 1) {
    const runs = archive.experiments.map((e) => e.info.file).join(", ");
    if (archive.experiments.length > 1) throw new CliError(`${name} holds ${archive.experiments.length} runs (${runs}); inspect one of them`, exitCodes.problems);
    if (diagnostics.length === 0) diagnostics.push({ file: name, line: 0, reason: "folder holds no training history runsite can read", fatal: true, ruleId: "no-history" });
    return { history: null, diagnostics };
  }
  const experiment = archive.experiments[0]!;
  // The early-stopping table is computed again by the caller, with the command's options.
  const stops = new Set(experiment.stops.diagnostics);
  return { history: { ...experiment.history, file: name }, diagnostics: experiment.diagnostics.filter((d) => !stops.has(d)).map(prefix) };
}

function parseNumber(flag: string, text: string, integer = false): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new CliError(`invalid ${flag}: ${JSON.stringify(text)} (expected ${integer ? "whole numbers ≥ 0, comma-separated" : "a number ≥ 0"})`);
  }
  return value;
}
