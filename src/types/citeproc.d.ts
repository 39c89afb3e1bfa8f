// The parts of citeproc-js (CommonJS, untyped) that src/core/citeproc.ts uses.
declare module "citeproc" {
  interface CitationItem {
    id: string;
    locator?: string;
    label?: string;
    prefix?: string;
    suffix?: string;
    "suppress-author"?: boolean;
    "author-only"?: boolean;
  }
  interface Sys {
    retrieveLocale(lang: string): string;
    retrieveItem(id: string): unknown;
  }
  interface BibliographyMeta {
    entry_ids: string[][];
    bibliography_errors: unknown[];
  }
  export class Engine {
    constructor(sys: Sys, style: string, lang?: string, forceLang?: boolean);
    setOutputFormat(format: "html" | "text" | "rtf"): void;
    updateItems(ids: string[]): void;
    processCitationCluster(
      citation: { citationID?: string; citationItems: CitationItem[]; properties: { noteIndex: number; mode?: "composite" | "author-only" | "suppress-author" } },
      before: unknown[],
      after: unknown[],
    ): [unknown, Array<[number, string, string]>];
    /** Renders a cluster as it would appear, without adding it to the engine's registry. */
    previewCitationCluster(
      citation: { citationID?: string; citationItems: CitationItem[]; properties: { noteIndex: number; mode?: "composite" | "author-only" | "suppress-author" } },
      before: unknown[],
      after: unknown[],
      format: "html" | "text" | "rtf",
    ): string;
    makeBibliography(): [BibliographyMeta, string[]] | false;
  }
  const CSL: { Engine: typeof Engine };
  export default CSL;
}
