/**
 * The figures' grid, apart from their drawing (no Plot here), so that the
 * browser can place a page's panels again without loading Plot
 * (`joinFigure`).
 */

/** Sizes shared by every figure (experiment and comparison), in px. */
export const panelHeight = 230;
export const titleHeight = 22;
export const legendHeight = 26;

/**
 * Where the history figure puts panel `i` of `count`: a grid of `columns`
 * (fewer when there are fewer panels) below the legend, each panel under its
 * title.
 */
export function panelPlace(i: number, count: number, { width = 960, columns = 3 }: { width?: number; columns?: number } = {}): { x: number; y: number } {
  const cols = Math.max(1, Math.min(columns, count));
  const panelWidth = Math.floor(width / cols);
  return { x: (i % cols) * panelWidth, y: legendHeight + Math.floor(i / cols) * (panelHeight + titleHeight) + titleHeight };
}
