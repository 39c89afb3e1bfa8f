import { lineAt, type Diagnostic } from "./diagnostics.ts";
import { detectFormat } from "./formats/detect.ts";
import { parseFastai } from "./formats/fastai.ts";
import { parseHuggingFace } from "./formats/huggingface.ts";
import { parseKeras } from "./formats/keras.ts";
import { parseLightning } from "./formats/lightning.ts";
import { parseTensorBoard } from "./formats/tensorboard.ts";
import { parseUltralytics } from "./formats/ultralytics.ts";
import type { Format, ParseResult } from "./history.ts";

const textParsers: Record<Exclude<Format, "tensorboard">, (text: string, file: string) => ParseResult> = {
  keras: parseKeras,
  lightning: parseLightning,
  ultralytics: parseUltralytics,
  huggingface: parseHuggingFace,
  fastai: parseFastai,
};

/**
 * Reads one history file of any supported format: the format is detected from
 * the content (the file name only breaks ties) unless `format` says it. Text
 * must be UTF-8; invalid bytes are replaced (U+FFFD) and reported once, with
 * the line of the first. Never throws.
 */
export function parseHistory(bytes: Uint8Array, file: string, format: Format | null = null): ParseResult & { format: Format | null } {
  const detected = format ?? detectFormat(file, bytes.subarray(0, 64 * 1024));
  if (detected === "tensorboard") return { ...parseTensorBoard(bytes, file), format: detected };
  if (detected === null && looksBinary(bytes)) {
    const diagnostics: Diagnostic[] = [
      {
        file,
        line: 1,
        reason: "not a training history runsite can read",
        expected: "a Keras, Lightning, Ultralytics or fastai table, a trainer_state.json or a TensorBoard event file",
        actual: "binary data",
        fatal: true,
        ruleId: "unknown-format",
      },
    ];
    return { history: null, diagnostics, format: null };
  }
  const { text, diagnostic } = decodeUtf8(bytes, file);
  // Undetected text is read as the format it is closest to, whose parser can
  // say precisely what is wrong ("header has no epoch column", a JSON syntax
  // error at a line) instead of a vague "unknown format".
  const fallback = /^\uFEFF?\s*[[{]/.test(text) ? "huggingface" : "keras";
  const result = textParsers[detected ?? fallback](text, file);
  if (diagnostic !== null) result.diagnostics.unshift(diagnostic);
  return { ...result, format: result.history === null ? null : (detected ?? fallback) };
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
      diagnostic: { file, line, reason: "text is not valid UTF-8; invalid bytes replaced by U+FFFD", expected: "UTF-8 text", actual: "invalid byte sequence", fatal: false, ruleId: "not-utf8" },
    };
  }
}
