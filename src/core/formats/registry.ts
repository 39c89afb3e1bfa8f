import { detectSeparator, firstLine, parseRecords } from "../csv.ts";
import type { Format } from "../history.ts";
import { fastaiFormat } from "./fastai.ts";
import { hfSummaryFormat } from "./hfSummary.ts";
import { huggingFaceFormat } from "./huggingface.ts";
import { jsonLinesFormat } from "./jsonLines.ts";
import { kerasFormat } from "./keras.ts";
import { kerasHistoryFormat } from "./kerasHistory.ts";
import { lightningFormat } from "./lightning.ts";
import { ludwigFormat } from "./ludwig.ts";
import { mlflowFormat } from "./mlflow.ts";
import { nnUnetFormat } from "./nnunet.ts";
import { simpleTransformersFormat } from "./simpletransformers.ts";
import { tensorboardFormat } from "./tensorboard.ts";
import { ultralyticsFormat } from "./ultralytics.ts";
import { wandbExportFormat } from "./wandbExport.ts";
import { yoloTxtFormat } from "./yoloTxt.ts";
import { no, type FormatModule, type Head, type Sniff } from "./formatModule.ts";

export type { FormatModule, Head, Sniff } from "./formatModule.ts";

/**
 * Every format, in the order sniffs are tried: the first `yes` wins, so a
 * more specific format comes before a more general one (fastai and
 * Lightning before Keras, which claims any table starting with `epoch`).
 */
export const registry: readonly FormatModule[] = [
  tensorboardFormat,
  jsonLinesFormat,
  huggingFaceFormat,
  hfSummaryFormat,
  ludwigFormat,
  kerasHistoryFormat,
  fastaiFormat,
  lightningFormat,
  ultralyticsFormat,
  simpleTransformersFormat,
  wandbExportFormat,
  kerasFormat,
  yoloTxtFormat,
  nnUnetFormat,
  mlflowFormat,
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
