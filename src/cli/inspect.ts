import { readFile } from "node:fs/promises";
import path from "node:path";
import { compareDiagnostics, formatDiagnostic } from "../core/diagnostics.ts";
import { formats, type Format } from "../core/history.ts";
import { inspectDocument } from "../core/inspect.ts";
import { parseMetricLabels } from "../core/labels.ts";
import { parseHistory } from "../core/load.ts";
import { stopSemantics, type StopSemantics } from "../core/earlyStopping.ts";
import { formatStopTable, stopTable } from "../core/stopTable.ts";
import { loadConfig } from "./build.ts";
import { CliError, exitCodes } from "./errors.ts";
import type { CliValues } from "./main.ts";

/** `runsite inspect FILE`: one history's series and early-stopping table, as JSON or text. */
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

  const bytes = await readFile(path.resolve(cwd, file)).catch((error: Error) => {
    throw new CliError(`cannot read ${file}: ${error.message}`, exitCodes.problems);
  });
  const labelsFile = path.join(config.content, "labels", "metrics.yml");
  const labelsText = await readFile(labelsFile, "utf8").catch(() => null);
  const labels = labelsText === null ? {} : parseMetricLabels(labelsText, labelsFile).labels;
  const name = file.split(path.sep).join("/");
  const { history, diagnostics } = parseHistory(new Uint8Array(bytes), name, format as Format | null);
  const stops = history ? stopTable(history.series, { patience, minDelta, semantics, ...(precision ? { precision } : {}), directions: labels, file: name, format: history.format }) : { rows: [], diagnostics: [] };
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

function parseNumber(flag: string, text: string, integer = false): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new CliError(`invalid ${flag}: ${JSON.stringify(text)} (expected ${integer ? "whole numbers ≥ 0, comma-separated" : "a number ≥ 0"})`);
  }
  return value;
}
