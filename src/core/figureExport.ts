/** The colours of an exported figure. */
export interface FigureTheme {
  /** The opaque background. */
  background: string;
  /** Text, axes, grid and rules: what the page draws in its own text colour (`currentColor`). */
  foreground: string;
}

/** Light (white paper) and dark (slides on black) themes of the figure downloads. */
export const figureThemes: Readonly<Record<"light" | "dark", FigureTheme>> = {
  light: { background: "#ffffff", foreground: "#1a1a1a" },
  dark: { background: "#111418", foreground: "#e8e8e8" },
};

/**
 * A drawn figure made to stand on its own, for papers and slides: an opaque
 * background (a `<rect>` over the whole view box, first after the title, so
 * every program paints it; a CSS background is ignored by most) and the page's
 * text colour written out (`currentColor` resolves to black outside the page,
 * invisible on a dark slide). The series keep their colours. The figure
 * itself is not redrawn: this wraps `renderFigure`'s SVG.
 *
 * @example exportFigureSvg(svg, figureThemes.dark)
 */
export function exportFigureSvg(svg: string, theme: FigureTheme): string {
  const open = /<svg\b[^>]*>/.exec(svg);
  if (open === null) throw new Error("not an svg");
  const viewBox = /\bviewBox="\s*([-\d.]+)[\s,]+([-\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"/.exec(open[0]);
  const [x, y, width, height] = viewBox === null ? ["0", "0", "100%", "100%"] : viewBox.slice(1);
  const rect = `<rect class="runsite-background" x="${x}" y="${y}" width="${width}" height="${height}" fill="${theme.background}"/>`;
  const start = open.index + open[0].length;
  // After a leading <title> (screen readers take the first child's), before anything drawn.
  const title = /^\s*<title>[\s\S]*?<\/title>/.exec(svg.slice(start));
  const at = start + (title?.[0].length ?? 0);
  // The colour also as an attribute and a style, for programs that read only one of them.
  const style = /\sstyle="/.test(open[0]) ? "" : ` style="background-color:${theme.background};color:${theme.foreground}"`;
  const root = open[0].replace(/^<svg\b/, `<svg color="${theme.foreground}"${style}`);
  const body = svg.slice(0, open.index) + root + svg.slice(start, at) + rect + svg.slice(at);
  return body.replaceAll("currentColor", theme.foreground);
}
