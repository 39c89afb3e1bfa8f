import rehypeShiki from "@shikijs/rehype";
import rehypeKatex from "rehype-katex";
import type { BundledLanguage } from "shiki";
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from "rehype-sanitize";
import rehypeStringify from "rehype-stringify";
import remarkMath from "remark-math";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { unified } from "unified";
import remarkCitations from "./citations.ts";
import type { CitationEngine } from "./citeproc.ts";
import type { Diagnostic } from "./diagnostics.ts";

/** Options of `renderMarkdown`. */
export interface MarkdownOptions {
  /** The bibliography's citation engine. */
  engine: CitationEngine;
  /** The URL of a reference's entry, e.g. `(key) => "/bibliography/#" + key`. */
  href: (key: string) => string;
  /** Append a reference list of the cited works (default: true). */
  referenceList?: boolean;
}

/** Rendered markdown. */
export interface RenderedMarkdown {
  /** Sanitised HTML: no script, no event handler, no raw HTML from the source. */
  html: string;
  /** Cited keys in order of first citation. */
  citedKeys: string[];
  diagnostics: Diagnostic[];
}

/**
 * What user markdown may produce (GitHub's allow-list, as rehype-sanitize's
 * default) plus the citation markup. KaTeX and Shiki run after sanitising, on
 * trusted input, so their inline styles and MathML need no allowance here.
 */
export const sanitizeSchema: SanitizeSchema = {
  ...defaultSchema,
  tagNames: [...(defaultSchema.tagNames ?? []), "section", "mark"],
  attributes: {
    ...defaultSchema.attributes,
    a: allowClasses("a", "citation-ref", "reference-notes"),
    span: [...allowClasses("span", "citation"), "dataCites"],
    mark: [...allowClasses("mark", "citation-unknown"), "title"],
    section: allowClasses("section", "references"),
    ul: allowClasses("ul", "references"),
    li: [...allowClasses("li", "csl-entry"), "dataKey"],
  },
};

/** The default attributes of `tag`, with `classes` added to its allowed class names. */
function allowClasses(tag: string, ...classes: string[]): NonNullable<SanitizeSchema["attributes"]>[string] {
  const defaults = defaultSchema.attributes?.[tag] ?? [];
  const existing = defaults.find((a) => Array.isArray(a) && a[0] === "className") as Array<string | RegExp> | undefined;
  const others = defaults.filter((a) => a !== existing);
  return [...others, ["className", ...(existing?.slice(1) ?? []), ...classes] as [string, ...Array<string | RegExp>]];
}

/** Languages loaded up front; others load on first use (loading all of Shiki's takes seconds). */
const codeLanguages: BundledLanguage[] = ["r", "python", "shellscript", "json", "yaml", "typescript", "javascript", "markdown"];

/**
 * Renders markdown (CommonMark, `$…$`/`$$…$$` math, fenced code, Pandoc
 * citations) to sanitised HTML. Math is typeset with KaTeX, code highlighted
 * with Shiki (light and dark themes as CSS variables). Raw HTML in the source
 * is dropped. Line numbers in diagnostics are those of `text`, so pass the
 * body with its frontmatter lines blanked (see `parseFrontmatter`).
 *
 * Astro's own markdown (content collections) is not used: the content folder
 * is chosen at run time (`--content`) while collections are fixed in the
 * package's `content.config.ts`, and sidecars live in the run tree.
 */
export async function renderMarkdown(text: string, file: string, options: MarkdownOptions): Promise<RenderedMarkdown> {
  const diagnostics: Diagnostic[] = [];
  const citedKeys: string[] = [];
  const processor = unified()
    .use(remarkParse)
    .use(remarkMath)
    .use(remarkCitations, {
      engine: options.engine,
      href: options.href,
      file,
      report: (d) => diagnostics.push(d),
      cited: (key) => citedKeys.push(key),
      referenceList: options.referenceList ?? true,
    })
    .use(remarkRehype)
    .use(rehypeSanitize, sanitizeSchema)
    .use(rehypeKatex)
    .use(rehypeShiki, { themes: { light: "github-light", dark: "github-dark" }, defaultColor: "light", langs: codeLanguages, lazy: true, fallbackLanguage: "text" })
    .use(rehypeStringify);
  const result = await processor.process({ value: text, path: file });
  for (const message of result.messages) {
    // rehype-katex reports a formula it cannot typeset; it is drawn in red.
    diagnostics.push({ file, line: message.line ?? 0, reason: message.reason, fatal: false, ruleId: message.ruleId ?? "markdown" });
  }
  return { html: String(result), citedKeys, diagnostics };
}
