import type { Format, ParseResult } from "../history.ts";

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

export const yes: Sniff = { fit: "yes" };
export const no: Sniff = { fit: "no" };
export const near = (why: string): Sniff => ({ fit: "near", why });
export const isJson = (h: Head) => h.text.startsWith("{") || h.text.startsWith("[");
export const has = (h: Head, column: string) => h.fields.includes(column);
