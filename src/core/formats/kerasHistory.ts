import { BadCells, readTable, raggedRow } from "../csv.ts";
import { lineAt, quote, type Diagnostic } from "../diagnostics.ts";
import type { Hyperparameters, ParseResult, Series } from "../history.ts";
import { roleOf, splitName } from "./naming.ts";
import { isObject, jsonNumber, parsePythonJson } from "./points.ts";
import { jsonSyntaxDiagnostic } from "./jsonLines.ts";
import { flatten } from "./hyperparameters.ts";
import { has, near, no, yes, type FormatModule } from "./formatModule.ts";

/** Names that are metrics whatever their list's length. */
const metricName = /loss|acc|mae|mse|auc|precision|recall|f1|iou|dice|lr|learning_rate/i;

/** Keys that give the epochs explicitly in hand-written dumps. */
const epochKeys = ["epoch", "epochs"];

/**
 * The dict of equal-length lists inside a parsed Keras `history.history`
 * dump: the object itself, or its `history` member (hand-written variants
 * wrap it beside a `config`). `null` when there is none.
 */
export function kerasHistoryObject(root: unknown): { lists: Record<string, unknown[]>; rest: Record<string, unknown> } | null {
  if (!isObject(root)) return null;
  const inner = isObject(root["history"]) ? root["history"] : root;
  const lists: Record<string, unknown[]> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inner)) {
    if (Array.isArray(value) && value.every((v) => jsonNumber(v) !== undefined)) lists[key] = value;
    else rest[key] = value;
  }
  if (inner !== root) for (const [key, value] of Object.entries(root)) if (key !== "history") rest[key] = value;
  // Metadata lists of numbers (phase_starts, class counts) are not curves: a list shorter or longer than
  // the metric lists, whose name is no metric, is metadata.
  const lengths = Object.entries(lists)
    .filter(([k]) => metricName.test(k))
    .map(([, v]) => v.length);
  if (lengths.length > 0) {
    for (const [key, value] of Object.entries(lists)) {
      if (!metricName.test(key) && !lengths.includes(value.length)) {
        rest[key] = value;
        delete lists[key];
      }
    }
  }
  return Object.keys(lists).length > 0 ? { lists, rest } : null;
}

/**
 * Reads a Keras `history.history` dump: `json.dump(history.history)`
 * (compact or pretty-printed), a dict of equal-length lists with epoch = the
 * list index (0-based, as Keras' CSVLogger counts); hand-written variants
 * with an explicit `epoch`/`epochs` list, or with the dict under `history`
 * beside a `config` object (whose scalars become hyperparameters). Lists of
 * different lengths are kept as long as they are, with a warning. Pandas
 * `DataFrame(history.history).to_csv()` files go to `parseKerasHistoryCsv`.
 * Never throws.
 */
export function parseKerasHistory(text: string, file: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const parsed = parsePythonJson(text);
  if ("error" in parsed) return { history: null, diagnostics: [jsonSyntaxDiagnostic(parsed.json, file, parsed.error, "a JSON object of metric lists (Keras history.history)")] };
  const found = kerasHistoryObject(parsed.value);
  if (found === null) {
    return {
      history: null,
      diagnostics: [
        {
          file,
          line: 1,
          reason: "JSON holds no lists of numbers; not a Keras history.history dump",
          expected: 'an object like {"loss": [0.9, 0.5], "val_loss": [1.0, 0.7]}',
          fatal: true,
          ruleId: "no-lists",
        },
      ],
    };
  }
  const { lists, rest } = found;
  const epochKey = epochKeys.find((k) => k in lists);
  const epochs = epochKey === undefined ? null : lists[epochKey]!.map((v) => jsonNumber(v));
  const lengths = new Set(
    Object.entries(lists)
      .filter(([k]) => k !== epochKey)
      .map(([, v]) => v.length),
  );
  if (lengths.size > 1) {
    diagnostics.push({
      file,
      line: 1,
      reason: "lists have different lengths; each is read as long as it is",
      expected: "one value per epoch in every list",
      actual: [...lengths].join(", "),
      fatal: false,
      ruleId: "unequal-lengths",
    });
  }
  const series: Series[] = [];
  for (const [name, values] of Object.entries(lists)) {
    if (name === epochKey) continue;
    const line = Math.max(1, lineAt(text, text.indexOf(JSON.stringify(name))));
    const x: number[] = [];
    const y: (number | null)[] = [];
    values.forEach((v, i) => {
      const epoch = epochs === null ? i : epochs[i];
      if (typeof epoch !== "number" || !Number.isFinite(epoch)) return;
      x.push(epoch);
      y.push(jsonNumber(v) ?? null);
    });
    if (x.length < values.length)
      diagnostics.push({
        file,
        line,
        column: name,
        reason: `${values.length - x.length} values have no epoch in ${quote(epochKey ?? "")}; left out`,
        fatal: false,
        ruleId: "no-epoch",
      });
    const order = x.map((_, i) => i).sort((a, b) => x[a]! - x[b]!);
    series.push({ name, ...splitName(name), role: roleOf(name), axis: "epoch", attempt: 0, x: order.map((i) => x[i]!), y: order.map((i) => y[i]!) });
  }
  const xs = series.flatMap((s) => s.x);
  const values = flatten(rest);
  const hyperparameters: Hyperparameters[] = Object.keys(values).length > 0 ? [{ source: file, values }] : [];
  return {
    history: {
      file,
      format: "keras-history",
      columns: Object.keys(lists),
      series,
      attempts: [{ index: 0, line: 1, firstEpoch: xs.length ? Math.min(...xs) : 0, lastEpoch: xs.length ? Math.max(...xs) : 0, rows: Math.max(0, ...[...lengths]) }],
      resumes: [],
      ...(hyperparameters.length ? { hyperparameters } : {}),
    },
    diagnostics,
  };
}

/**
 * Reads pandas `DataFrame(history.history).to_csv(…)`: a header of Keras
 * names, with an unnamed first column holding the index (`,loss,val_loss`)
 * or without one (`index=False`); epoch = the index, or the row number.
 * Never throws.
 */
export function parseKerasHistoryCsv(text: string, file: string): ParseResult {
  const read = readTable(text, file, "a header line ,loss,val_loss,… (pandas to_csv of history.history)");
  if ("diagnostic" in read) return { history: null, diagnostics: [read.diagnostic] };
  const { header, rows } = read.table;
  const names = header.fields.map((f) => f.trim());
  const indexed = names[0] === "" || names[0] === "Unnamed: 0";
  const diagnostics: Diagnostic[] = [];
  const bad = new BadCells();
  const series: Series[] = names.slice(indexed ? 1 : 0).map((name) => ({ name, ...splitName(name), role: roleOf(name), axis: "epoch", attempt: 0, x: [], y: [] }));
  let n = 0;
  for (const { line, fields } of rows) {
    if (fields.length !== names.length) {
      diagnostics.push(raggedRow(file, line, names.length, fields.length));
      continue;
    }
    const epoch = indexed ? Number(fields[0]!.trim()) : n;
    if (!Number.isInteger(epoch) || fields[0]!.trim() === "") {
      diagnostics.push({ file, line, reason: "index is not a whole number; row left out", expected: "an integer", actual: quote(fields[0]!), fatal: false, ruleId: "bad-epoch" });
      continue;
    }
    n++;
    series.forEach((s, i) => {
      const c = i + (indexed ? 1 : 0);
      s.x.push(epoch);
      s.y.push(bad.read(fields[c]!, names[c]!, line));
    });
  }
  diagnostics.push(...bad.diagnostics(file));
  if (n === 0) {
    diagnostics.push({ file, line: header.line, reason: "no data rows", expected: "at least one row after the header", actual: "none", fatal: true, ruleId: "no-rows" });
    return { history: null, diagnostics };
  }
  const xs = series[0]?.x ?? [];
  return {
    history: {
      file,
      format: "keras-history",
      columns: names,
      series,
      attempts: [{ index: 0, line: rows[0]?.line ?? 2, firstEpoch: xs[0] ?? 0, lastEpoch: xs.at(-1) ?? 0, rows: n }],
      resumes: [],
    },
    diagnostics,
  };
}

/** The Keras history.history dump (JSON, or pandas to_csv of it) format: its names, folder shape, sniff and parser (see `registry.ts`). */
export const kerasHistoryFormat: FormatModule = {
  format: "keras-history",
  label: "Keras history.history dump (JSON, or pandas to_csv of it)",
  names: /(^|\/)[^/]*history[^/]*\.(json|csv)$/i,
  sniff: (h) => {
    if (h.text.startsWith("{")) {
      if (/^\{\s*"[^"]+"\s*:\s*\[\s*(-?[\d.]|NaN|-?Infinity|null|\])/.test(h.text) || /"history"\s*:\s*\{\s*"[^"]+"\s*:\s*\[/.test(h.text)) return yes;
      // Hand-written dumps put metadata first (timestamp, backbone), then the metric lists.
      if (/"[^"]*(loss|acc|accuracy|mae|mse|auc)[^"]*"\s*:\s*\[\s*(-?[\d.]|NaN|-?Infinity)/i.test(h.text)) return yes;
      return /history[^/]*\.json$/i.test(h.name) ? near("its values are not lists of numbers") : no;
    }
    if (h.fields.length < 1 || has(h, "epoch")) return no;
    const unnamedIndex = (h.fields[0] === "" || h.fields[0] === "Unnamed: 0") && h.fields.length > 1;
    const kerasNames = has(h, "loss") && h.fields.some((f) => f.startsWith("val_"));
    return unnamedIndex || kerasNames ? yes : no;
  },
  parse: (_bytes, text, file) => (/^\uFEFF?\s*\{/.test(text) ? parseKerasHistory(text, file) : parseKerasHistoryCsv(text, file)),
};
