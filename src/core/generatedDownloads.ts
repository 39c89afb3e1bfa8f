import { epochNumbering } from "./earlyStopping.ts";
import { formatPaperTable } from "./exportTable.ts";
import { exportFigureSvg, figureThemes, type FigureTheme } from "./figureExport.ts";
import { type InspectDocument, stopRows } from "./inspect.ts";
import { formatStopTable } from "./stopTable.ts";

/**
 * A file the reader's browser writes on click, from the experiment's
 * `history.json` or the figure in its page (reassembled, see `pageFigure.ts`),
 * with the same core functions the command line uses: the site stores one
 * derived file per experiment.
 */
export type GeneratedDownload = {
  /** The file's name; the browser saves it as `<stem>.<name>`. */
  name: string;
  /** The button's text. */
  label: string;
  /** Media type of the Blob. */
  type: string;
} & (
  | /** Offered when the page shows a figure: made from the figure's SVG. */ { needs: "figure"; make(figure: string): string }
  | /** Offered when the history has an early-stopping table: made from `history.json`. */ { needs: "stops"; make(doc: InspectDocument): string }
);

/** The figure standalone, as a file: an XML declaration, then `exportFigureSvg`. */
function figureFile(figure: string, theme: FigureTheme): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${exportFigureSvg(figure, theme)}`;
}

/** The paper table at the site's patience (`paper` in `history.json`), epochs as Keras prints them. */
function paperTable(doc: InspectDocument, format: "latex" | "markdown"): string {
  const paper = doc.paper;
  if (paper === undefined || doc.earlyStopping === null) throw new Error("history.json has no paper table settings");
  const options = {
    patience: paper.patience,
    semantics: doc.earlyStopping.semantics,
    labels: paper.labels,
    title: paper.title,
    key: paper.key,
    epochOffset: epochNumbering(doc.format).offset,
  };
  return formatPaperTable(stopRows(doc), format, options);
}

/** The downloads generated in the browser, in the order the page offers them. */
export const generatedDownloads: readonly GeneratedDownload[] = [
  { name: "figure.svg", label: "figure (SVG)", type: "image/svg+xml", needs: "figure", make: (figure) => figureFile(figure, figureThemes.light) },
  { name: "figure-dark.svg", label: "figure on dark (SVG)", type: "image/svg+xml", needs: "figure", make: (figure) => figureFile(figure, figureThemes.dark) },
  // Every patience, epochs as Keras prints them beside the file's, numeric columns numeric (a status column says "never stops").
  { name: "early-stopping.csv", label: "early stopping (CSV)", type: "text/csv;charset=utf-8", needs: "stops", make: (doc) => formatStopTable(stopRows(doc), "csv") },
  { name: "early-stopping.tex", label: "early-stopping table (LaTeX)", type: "application/x-tex;charset=utf-8", needs: "stops", make: (doc) => paperTable(doc, "latex") },
  { name: "early-stopping.md", label: "early-stopping table (Markdown)", type: "text/markdown;charset=utf-8", needs: "stops", make: (doc) => paperTable(doc, "markdown") },
];
