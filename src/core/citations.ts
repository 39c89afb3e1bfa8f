import type { ElementContent } from "hast";
import { fromHtml } from "hast-util-from-html";
import type { Parent, PhrasingContent, Root, Text } from "mdast";
import type { Plugin } from "unified";
import { SKIP, visit } from "unist-util-visit";
import type { VFile } from "vfile";
import { findCitations } from "./citationSyntax.ts";
import type { CitationEngine } from "./citeproc.ts";
import type { Diagnostic } from "./diagnostics.ts";

/** Options of `remarkCitations`. */
export interface CitationOptions {
  /** The bibliography's citation engine. */
  engine: CitationEngine;
  /** The URL of a reference's entry, e.g. `(key) => "/bibliography/#" + key`. */
  href: (key: string) => string;
  /** The file, as shown in diagnostics. */
  file: string;
  /** Receives one diagnostic per unknown key (optional). */
  report?: (diagnostic: Diagnostic) => void;
  /** Receives every cited key, in order of first citation (optional). */
  cited?: (key: string) => void;
  /** Append an APA reference list of the cited works (default: true). */
  referenceList?: boolean;
}

/**
 * remark plugin: turns Pandoc citations (`[@milletari2016, p. 6]`,
 * `[@a; @b]`, `@zhang2021 shows`) into APA author–date text with each work
 * linked to its bibliography entry, and appends a reference list. A citation
 * with an unknown key is kept as written, marked, and reported with its line;
 * it is never replaced by "??". Citations in code are left alone.
 */
const remarkCitations: Plugin<[CitationOptions], Root> = (options) => {
  const { engine, href, file, report, cited, referenceList = true } = options;
  return (tree: Root, _vfile: VFile) => {
    const keys: string[] = [];
    visit(tree, "text", (node: Text, index, parent: Parent | undefined) => {
      if (parent === undefined || index === undefined) return;
      const clusters = findCitations(node.value);
      if (clusters.length === 0) return;
      const startLine = node.position?.start.line ?? 0;
      const replacement: PhrasingContent[] = [];
      let at = 0;
      for (const cluster of clusters) {
        if (cluster.start > at) replacement.push({ type: "text", value: node.value.slice(at, cluster.start) });
        at = cluster.end;
        const unknown = cluster.items.filter((item) => !engine.has(item.key));
        if (unknown.length > 0) {
          const line = startLine === 0 ? 0 : startLine + countNewlines(node.value.slice(0, cluster.start));
          for (const item of unknown) {
            report?.({
              file,
              line,
              reason: `unknown citation key "@${item.key}"`,
              expected: "the name of a file in the bibliography folder (without .md)",
              actual: JSON.stringify(cluster.source),
              fatal: false,
              ruleId: "citation-key",
            });
          }
          replacement.push(
            element("mark", { className: ["citation-unknown"], title: `unknown reference: ${unknown.map((i) => i.key).join(", ")}` }, [{ type: "text", value: cluster.source }]),
          );
          continue;
        }
        for (const item of cluster.items) if (!keys.includes(item.key)) keys.push(item.key);
        const html = engine.cite(cluster.items, { narrative: cluster.narrative, href });
        replacement.push(
          element("span", { className: ["citation"], dataCites: cluster.items.map((i) => i.key).join(" ") }, fromHtml(html, { fragment: true }).children as ElementContent[]),
        );
      }
      if (at < node.value.length) replacement.push({ type: "text", value: node.value.slice(at) });
      parent.children.splice(index, 1, ...(replacement as typeof parent.children));
      return [SKIP, index + replacement.length];
    });
    for (const key of keys) cited?.(key);
    if (referenceList && keys.length > 0) {
      const ordered = engine.order.filter((key) => keys.includes(key));
      const entries = ordered.map((key) => ({
        type: "element" as const,
        tagName: "li",
        properties: { className: ["csl-entry"], dataKey: key },
        children: [
          ...(fromHtml(engine.reference(key), { fragment: true }).children as ElementContent[]),
          { type: "text" as const, value: " " },
          { type: "element" as const, tagName: "a", properties: { className: ["reference-notes"], href: href(key) }, children: [{ type: "text" as const, value: "Notes" }] },
        ],
      }));
      tree.children.push({
        type: "paragraph",
        children: [],
        data: {
          hName: "section",
          hProperties: { className: ["references"] },
          hChildren: [
            { type: "element", tagName: "h2", properties: {}, children: [{ type: "text", value: "References" }] },
            { type: "element", tagName: "ul", properties: { className: ["references"] }, children: entries },
          ],
        },
      });
    }
  };
};

export default remarkCitations;

/** An mdast node that remark-rehype turns into the hast element given in `data`. */
function element(tagName: string, properties: Record<string, unknown>, children: ElementContent[]): PhrasingContent {
  return { type: "emphasis", children: [], data: { hName: tagName, hProperties: properties as never, hChildren: children } };
}

function countNewlines(text: string): number {
  let n = 0;
  for (const c of text) if (c === "\n") n++;
  return n;
}
