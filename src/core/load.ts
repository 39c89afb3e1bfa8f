import { lineAt, quote, type Diagnostic } from "./diagnostics.ts";
import { firstLine } from "./csv.ts";
import { formatModule, registry, sniffFormat } from "./formats/registry.ts";
import type { Format, ParseResult } from "./history.ts";

/**
 * Reads one history file of any supported format: the format is detected from
 * the content (the file name only a hint) unless `format` says it. Text must
 * be UTF-8; invalid bytes are replaced (U+FFFD) and reported once, with the
 * line of the first. When no format accepts the file, the message names the
 * closest format and why it is not that ("looks like a YOLOv5 / YOLOv7 /
 * ultralytics-yolov3 results.txt, but line 3 has 14 fields, expected 15"); a
 * table that is almost a CSV log is read by the Keras parser, which says
 * what its header lacks. Never throws.
 */
export function parseHistory(bytes: Uint8Array, file: string, format: Format | null = null): ParseResult & { format: Format | null } {
  const sniffed = format === null ? sniffFormat(file, bytes.subarray(0, 64 * 1024)) : { format, closest: null };
  const detected = sniffed.format;
  if (detected === "tensorboard") return { ...formatModule("tensorboard").parse(bytes, "", file), format: detected };
  if (detected === null && looksBinary(bytes)) {
    const diagnostics: Diagnostic[] = [
      {
        file,
        line: 1,
        reason: sniffed.closest ? `looks like a ${sniffed.closest.module.label}, but ${sniffed.closest.why}` : "not a training history runsite can read",
        expected: "a training log of a supported format (see docs/formats.md)",
        actual: "binary data",
        fatal: true,
        ruleId: "unknown-format",
      },
    ];
    return { history: null, diagnostics, format: null };
  }
  const { text, diagnostic } = decodeUtf8(bytes, file);
  let result: ParseResult;
  let used: Format | null = detected;
  if (detected !== null) result = formatModule(detected).parse(bytes, text, file);
  else if (sniffed.closest !== null) result = { history: null, diagnostics: [unknown(text, file, `looks like a ${sniffed.closest.module.label}, but ${sniffed.closest.why}`)] };
  else if (/^\uFEFF?\s*[[{]/.test(text)) result = { history: null, diagnostics: [unknownJson(text, file)] };
  else if (/[,;\t]/.test(firstLine(text)) || text.trim() === "") {
    // A table that is no known format is read as the Keras log it is closest
    // to, whose parser says precisely what is wrong ("header has no epoch column").
    used = "keras";
    result = formatModule("keras").parse(bytes, text, file);
  } else result = { history: null, diagnostics: [unknown(text, file, "not a training history runsite can read")] };
  if (diagnostic !== null) result.diagnostics.unshift(diagnostic);
  return { ...result, format: result.history === null && result.withoutHistory === undefined ? null : used };
}

/** The fatal diagnostic for text no format accepts. */
function unknown(text: string, file: string, reason: string): Diagnostic {
  const line = firstLine(text);
  return {
    file,
    line: Math.max(1, lineAt(text, text.indexOf(line))),
    reason,
    expected: `one of the formats runsite reads (${registry.map((m) => m.format).join(", ")}; see docs/formats.md)`,
    actual: quote(line),
    fatal: true,
    ruleId: "unknown-format",
  };
}

/** JSON that no JSON format accepts: a syntax error where there is one, else what it lacks. */
function unknownJson(text: string, file: string): Diagnostic {
  const result = formatModule("huggingface").parse(new Uint8Array(), text, file);
  const syntax = result.diagnostics.find((d) => d.ruleId === "json-syntax");
  if (syntax !== undefined) return syntax;
  return {
    file,
    line: 1,
    reason: "JSON is not a training history runsite knows",
    expected: "a trainer_state.json (log_history), a Keras history dump (lists of numbers), a Ludwig training_statistics.json, JSON Lines, or a Hugging Face results summary",
    actual: quote(text.trim().slice(0, 40)),
    fatal: true,
    ruleId: "unknown-json",
  };
}

/** True for bytes that cannot be text: a NUL in the first 8 KB (as git decides). */
function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8192).includes(0);
}

/** Decodes UTF-8, reporting (not refusing) invalid bytes. */
export function decodeUtf8(bytes: Uint8Array, file: string): { text: string; diagnostic: Diagnostic | null } {
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), diagnostic: null };
  } catch {
    const text = new TextDecoder("utf-8").decode(bytes);
    const at = text.indexOf("\ufffd");
    const line = at < 0 ? 1 : lineAt(text, at);
    return {
      text,
      diagnostic: {
        file,
        line,
        reason: "text is not valid UTF-8; invalid bytes replaced by U+FFFD",
        expected: "UTF-8 text",
        actual: "invalid byte sequence",
        fatal: false,
        ruleId: "not-utf8",
      },
    };
  }
}
