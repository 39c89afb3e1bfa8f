import { detectSeparator, firstLine, parseRecords } from "../csv.ts";
import type { Format, ParseResult } from "../history.ts";
import { parseFastai } from "./fastai.ts";
import { hfSummaryName, parseHfSummary } from "./hfSummary.ts";
import { parseHuggingFace } from "./huggingface.ts";
import { parseJsonLines } from "./jsonLines.ts";
import { parseKeras } from "./keras.ts";
import { parseKerasHistory, parseKerasHistoryCsv } from "./kerasHistory.ts";
import { parseLightning } from "./lightning.ts";
import { parseLudwig } from "./ludwig.ts";
import { parseMlflowMetric } from "./mlflow.ts";
import { parseNnUnet } from "./nnunet.ts";
import { parseSimpleTransformers } from "./simpletransformers.ts";
import { parseTensorBoard } from "./tensorboard.ts";
import { isTfRecordStart } from "./tfrecord.ts";
import { parseUltralytics } from "./ultralytics.ts";
import { parseWandbExport } from "./wandbExport.ts";
import { parseYoloTxt, yoloFields } from "./yoloTxt.ts";

/**
 * What a format's sniff says about the start of a file: `yes`, `no`, or
 * `near` with the reason it is not quite that format, which becomes the
 * message when nothing matches ("looks like a YOLOv5 results.txt, but line
 * 3 has 14 fields, expected 15").
 */
export type Sniff = { fit: "yes" } | { fit: "near"; why: string } | { fit: "no" };

/** What `sniff` is given: the start of a file (64 KB) in three shapes, so no sniff decodes or splits twice. */
export interface Head {
  bytes: Uint8Array;
  /** The head as text, BOM and leading blanks removed. */
  text: string;
  /** Root-relative path or file name: a hint only. */
  name: string;
  /** The trimmed header fields when the first line reads as delimiter-separated, else `[]`. */
  fields: string[];
}

/** One format runsite reads. */
export interface FormatModule {
  format: Format;
  /** How users call it, for messages: "a YOLOv5 results.txt". */
  label: string;
  /** The file names its tool writes: a hint, used to pick the closest format when nothing matches. */
  names: RegExp;
  /** The folder shape of a run, when the format's runs are folders (see `runUnits`), for the docs. */
  folder?: string;
  sniff(head: Head): Sniff;
  parse(bytes: Uint8Array, text: string, file: string): ParseResult;
}

const yes: Sniff = { fit: "yes" };
const no: Sniff = { fit: "no" };
const near = (why: string): Sniff => ({ fit: "near", why });
const isJson = (h: Head) => h.text.startsWith("{") || h.text.startsWith("[");
const has = (h: Head, column: string) => h.fields.includes(column);
/** JSON Lines: a first line that is a whole object, and another object line after it. */
const jsonLinesHead = (text: string) => /^\{[^\n]*\}[ \t\r]*\n\s*\{/.test(text);
const mlflowLine = /^\d{10,}\s+\S+(\s+-?\d+)?$/;
const nnunetLine = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?:\s*(Epoch \d+|epoch:\s+\d+|train[_ ]loss|Current learning rate|Desired fold for training|Using splits from existing split file)/m;

/**
 * Every format, in the order sniffs are tried: the first `yes` wins, so a
 * more specific format comes before a more general one (fastai and
 * Lightning before Keras, which claims any table starting with `epoch`).
 */
export const registry: readonly FormatModule[] = [
  {
    format: "tensorboard",
    label: "TensorBoard event file",
    names: /(^|\/)events\.out\.tfevents\.[^/]*$/,
    folder: "<run>/events.out.tfevents.* (all event files of a folder are one run)",
    sniff: (h) => (isTfRecordStart(h.bytes) ? yes : /(^|\/)events\.out\.tfevents\./.test(h.name) ? near("no record passes the TFRecord checksums") : no),
    parse: (bytes, _text, file) => parseTensorBoard(bytes, file),
  },
  {
    format: "jsonl",
    label: "JSON Lines log (detectron2 metrics.json, mmengine scalars.json, mmdetection .log.json, W&B wandb-history.jsonl)",
    names: /(^|\/)(metrics\.json|scalars\.json|[^/]*\.log\.json|wandb-history\.jsonl|[^/]*\.jsonl)$/,
    sniff: (h) => {
      if (jsonLinesHead(h.text)) return yes;
      // mmengine's test mode: one line of final metrics with its timings (data_time, time).
      if (/^\{[^\n]*"data_time"\s*:[^\n]*\}\s*$/.test(h.text)) return yes;
      if (!/\.jsonl$|(^|\/)(scalars|metrics)\.json$|\.log\.json$/.test(h.name) || !h.text.startsWith("{")) return no;
      // One line is a JSON Lines file of one row (a run that logged once).
      return /^\{[^\n]*\}\s*$/.test(h.text) && /"(_step|iteration|step|mode)"\s*:/.test(h.text) ? yes : near("it is a single JSON value, not one object per line");
    },
    parse: (_bytes, text, file) => parseJsonLines(text, file),
  },
  {
    format: "huggingface",
    label: "Hugging Face trainer_state.json",
    names: /(^|\/)trainer_state\.json$/,
    folder: "<output>/checkpoint-N/trainer_state.json (the latest checkpoint is the run)",
    sniff: (h) => (isJson(h) && /^\{[\s\S]*"log_history"\s*:/.test(h.text) ? yes : /(^|\/)trainer_state\.json$/.test(h.name) && isJson(h) ? near("it has no log_history list") : no),
    parse: (_bytes, text, file) => parseHuggingFace(text, file),
  },
  {
    format: "hf-summary",
    label: "Hugging Face all_results.json / train_results.json / eval_results.json summary",
    names: hfSummaryName,
    sniff: (h) => (!h.text.startsWith("{") ? no : hfSummaryName.test(h.name) || (/"(train|eval|test)_(runtime|samples_per_second|samples)"\s*:/.test(h.text) && !/:\s*[[{]/.test(h.text.slice(1))) ? yes : no),
    parse: (_bytes, text, file) => parseHfSummary(text, file),
  },
  {
    format: "ludwig",
    label: "Ludwig training_statistics.json",
    names: /(^|\/)training_statistics\.json$/,
    sniff: (h) => {
      if (!h.text.startsWith("{")) return no;
      if (/^\{\s*"(training|train|validation|test)"\s*:\s*\{/.test(h.text) && /"combined"\s*:/.test(h.text)) return yes;
      return /(^|\/)training_statistics\.json$/.test(h.name) ? near("it has no training/validation/test objects with a combined feature") : no;
    },
    parse: (_bytes, text, file) => parseLudwig(text, file),
  },
  {
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
  },
  {
    format: "fastai",
    label: "fastai CSVLogger history.csv",
    names: /(^|\/)history\.csv$/,
    sniff: (h) => {
      const byName = /(^|\/)history\.csv$/.test(h.name);
      return h.fields[0] === "epoch" && has(h, "train_loss") && (has(h, "valid_loss") || byName) ? yes : no;
    },
    parse: (_bytes, text, file) => parseFastai(text, file),
  },
  {
    format: "lightning",
    label: "PyTorch Lightning metrics.csv",
    names: /(^|\/)metrics\.csv$/,
    folder: "lightning_logs/version_N/metrics.csv (+ hparams.yaml)",
    sniff: (h) => (has(h, "epoch") && has(h, "step") ? yes : /(^|\/)metrics\.csv$/.test(h.name) && h.fields.length > 1 ? near(`its header has no ${has(h, "step") ? "epoch" : "step"} column`) : no),
    parse: (_bytes, text, file) => parseLightning(text, file),
  },
  {
    format: "ultralytics",
    label: "Ultralytics results.csv",
    names: /(^|\/)results\.csv$/,
    folder: "runs/<task>/<name>/results.csv (+ args.yaml)",
    sniff: (h) => (has(h, "epoch") && h.fields.some((f) => /^(train|val|metrics|lr)\/./.test(f) || /^x\/lr\d+$/.test(f)) ? yes : no),
    parse: (_bytes, text, file) => parseUltralytics(text, file),
  },
  {
    format: "simpletransformers",
    label: "simpletransformers training_progress_scores.csv",
    names: /(^|\/)training_progress_scores\.csv$/,
    sniff: (h) => (h.fields[0] === "global_step" ? yes : no),
    parse: (_bytes, text, file) => parseSimpleTransformers(text, file),
  },
  {
    format: "wandb-export",
    label: "W&B chart export (CSV)",
    names: /(^|\/)wandb_export[^/]*\.csv$/,
    sniff: (h) => {
      const runs = h.fields.slice(1).filter((f) => f.includes(" - "));
      // The x column may be renamed (a custom x axis: epoch_id, evaluations); the band columns give W&B away.
      if (runs.length === 0) return no;
      if (/^(step|_step|epoch|global_step)$/i.test(h.fields[0] ?? "")) return yes;
      return runs.length === h.fields.length - 1 && runs.some((f) => /__(MIN|MAX)$/.test(f)) ? yes : no;
    },
    parse: (_bytes, text, file) => parseWandbExport(text, file),
  },
  {
    format: "keras",
    label: "Keras CSVLogger log",
    names: /(^|\/)[^/]*\.(csv|log|tsv)$/,
    sniff: (h) => {
      if (!has(h, "epoch")) return no;
      if (h.fields[0] === "epoch") return yes;
      return no;
    },
    parse: (_bytes, text, file) => parseKeras(text, file),
  },
  {
    format: "yolo-txt",
    label: "YOLOv5 / YOLOv7 / ultralytics-yolov3 results.txt",
    names: /(^|\/)results\.txt$/,
    sniff: (h) => {
      const lines = h.text.split(/\r?\n/).slice(0, 50);
      if (!/^\d+\/\d+$/.test(lines[0]?.trim().split(/\s+/)[0] ?? "")) return /(^|\/)results\.txt$/.test(h.name) && h.text !== "" ? near(`line 1 does not start with epoch/last_epoch (got ${JSON.stringify((lines[0] ?? "").trim().slice(0, 20))})`) : no;
      // The last line of the head may be cut at 64 KB, so it is not judged.
      const bad = lines.slice(0, -1).findIndex((l) => l.trim() !== "" && l.trim().split(/\s+/).length !== yoloFields);
      return bad < 0 || lines.length === 1 ? yes : near(`line ${bad + 1} has ${lines[bad]!.trim().split(/\s+/).length} fields, expected ${yoloFields}`);
    },
    parse: (_bytes, text, file) => parseYoloTxt(text, file),
  },
  {
    format: "nnunet",
    label: "nnU-Net training log",
    names: /(^|\/)training_log_[^/]*\.txt$/,
    folder: "<task>/<trainer>/fold_N/training_log_*.txt (all logs of a fold are one run)",
    sniff: (h) => (nnunetLine.test(h.text) ? yes : /(^|\/)training_log_[^/]*\.txt$/.test(h.name) && h.text !== "" ? near("no line reads 'Epoch N' after a timestamp") : no),
    parse: (_bytes, text, file) => parseNnUnet(text, file),
  },
  {
    format: "mlflow",
    label: "MLflow metric file",
    names: /(^|\/)metrics\/[^.]+$/,
    folder: "mlruns/<experiment>/<run>/{meta.yaml, metrics/, params/, tags/}",
    sniff: (h) => {
      const lines = h.text.split(/\r?\n/).filter((l) => l.trim() !== "").slice(0, 20);
      if (lines.length > 0 && lines.slice(0, -1).concat(lines.length === 1 ? lines : []).every((l) => mlflowLine.test(l.trim()))) return yes;
      return /(^|\/)metrics\/[^/.]+$/.test(h.name) && lines.length > 0 ? near(`line 1 is not 'timestamp value step' (got ${JSON.stringify(lines[0]!.slice(0, 30))})`) : no;
    },
    parse: (_bytes, text, file) => parseMlflowMetric(text, file),
  },
];

const byFormat = new Map(registry.map((m) => [m.format, m]));

/** The module of a format. */
export function formatModule(format: Format): FormatModule {
  return byFormat.get(format)!;
}

/** The start of a file as `sniff` sees it. */
export function readHead(name: string, head: Uint8Array | string): Head {
  const bytes = typeof head === "string" ? new TextEncoder().encode(head) : head;
  const raw = typeof head === "string" ? head : new TextDecoder("utf-8", { fatal: false }).decode(head);
  const text = raw.replace(/^\uFEFF?\s*/, "");
  let fields: string[] = [];
  if (!text.startsWith("{") && !text.startsWith("[")) {
    const line = firstLine(text);
    fields = (parseRecords(line, detectSeparator(line))[0]?.fields ?? []).map((f) => f.trim());
  }
  return { bytes, text, name, fields };
}

/**
 * The format of a file from its first bytes, content first: the first
 * module in `registry` whose sniff says yes. When none does, `closest` is
 * the nearest miss, preferring one whose file names fit, with the reason.
 */
export function sniffFormat(name: string, head: Uint8Array | string): { format: Format | null; closest: { module: FormatModule; why: string } | null } {
  const h = readHead(name, head);
  const misses: { module: FormatModule; why: string }[] = [];
  for (const module of registry) {
    let result: Sniff;
    try {
      result = module.sniff(h);
    } catch {
      result = no;
    }
    if (result.fit === "yes") return { format: module.format, closest: null };
    if (result.fit === "near") misses.push({ module, why: result.why });
  }
  const closest = misses.find((m) => m.module.names.test(name)) ?? misses[0] ?? null;
  return { format: null, closest };
}
