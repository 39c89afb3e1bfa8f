import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";

import type { Diagnostic } from "./diagnostics.ts";

/** A markdown file split into its YAML frontmatter and its body. */
export interface Frontmatter<T> {
  /** The validated frontmatter, or `null` when it is missing a required field or malformed. */
  data: T | null;
  /**
   * The body, with the frontmatter lines kept as empty lines so that positions
   * in the parsed markdown are the file's physical lines.
   */
  body: string;
  diagnostics: Diagnostic[];
}

const fence = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/**
 * Splits `---`-fenced YAML frontmatter from a markdown file and validates it
 * with `schema`. Every problem is a diagnostic at the line of the offending
 * key (or line 1 when a required key is absent); never throws.
 *
 * @example parseFrontmatter("---\ntitle: A\n---\nBody", "notes/a.md", z.object({title: z.string()}))
 */
export function parseFrontmatter<S extends z.ZodType>(text: string, file: string, schema: S, ruleId = "frontmatter"): Frontmatter<z.output<S>> {
  const source = text.replace(/^\uFEFF/, "");
  const match = fence.exec(source);
  const yamlText = match?.[1] ?? "";
  // Blank lines instead of the frontmatter: markdown ignores leading blank lines,
  // and the parser's line numbers stay the file's.
  const body = match === null ? source : "\n".repeat(countLines(match[0])) + source.slice(match[0].length);
  const diagnostics: Diagnostic[] = [];
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false });
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : lineCounter.linePos(offset).line + 1);
  for (const error of doc.errors) {
    diagnostics.push({ file, line: lineOf(error.pos[0]), reason: `invalid YAML frontmatter: ${error.message.split("\n")[0]}`, fatal: false, ruleId });
  }
  if (doc.errors.length > 0) return { data: null, body, diagnostics };
  const result = schema.safeParse(doc.toJS() ?? {});
  if (result.success) return { data: result.data, body, diagnostics };
  for (const issue of result.error.issues) {
    const at = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
    // A misspelt key: point at each unknown key's own line.
    const located = issue.code === "unrecognized_keys" ? issue.keys.map((key) => [...at, key]) : [at];
    for (const keys of located) diagnostics.push(locate(issue, keys));
  }
  return { data: null, body, diagnostics };

  function locate(issue: z.core.$ZodIssue, keys: Array<string | number>): Diagnostic {
    // The deepest node that exists: the key itself, or its parent when the key is absent.
    let line = 1;
    for (let n = keys.length; n > 0; n--) {
      const node = doc.getIn(keys.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node?.range !== undefined) {
        line = lineOf(node.range[0]);
        break;
      }
    }
    const received = "input" in issue && issue.input !== undefined ? JSON.stringify(issue.input) : undefined;
    const missing = issue.code === "invalid_type" && (issue as { input?: unknown }).input === undefined;
    const reason = issue.code === "unrecognized_keys" ? `unknown field "${keys.at(-1)}"` : missing ? "missing required field" : issue.message;
    const column = issue.code === "unrecognized_keys" ? undefined : keys.join(".") || undefined;
    return { file, line, ...(column !== undefined ? { column } : {}), reason, ...(received !== undefined ? { actual: received } : {}), fatal: false, ruleId };
  }
}

function countLines(text: string): number {
  let n = 0;
  for (const c of text) if (c === "\n") n++;
  return n;
}
