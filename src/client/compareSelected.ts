import type { InspectDocument } from "../core/inspect.ts";
import { fetchHistoryDownload } from "./historyDownload.ts";

/**
 * The "compare selected" view (/compare/selected/?run=<slug>&run=<slug>…):
 * overlays the chosen runs per metric, drawn in the browser with Observable
 * Plot, which is loaded only here (a chunk of the site's own bundle, so it
 * works offline). Each run's values come from the `series` of its `history.json` (version 2, docs/downloads.md).
 * The URL is the permalink: it lists the runs. Names are set as text only.
 */
export async function compareSelected(root: Document): Promise<void> {
  const host = root.querySelector<HTMLElement>("[data-compare-selected]");
  if (host === null) return;
  const base = host.dataset["base"] ?? "/";
  const status = host.querySelector<HTMLElement>("[data-compare-status]")!;
  const legend = host.querySelector<HTMLElement>("[data-compare-legend]")!;
  const figure = host.querySelector<HTMLElement>("[data-compare-figure]")!;
  const slugs = selectedRuns(location.search);
  if (slugs.length === 0) {
    status.textContent = "No runs selected: tick runs in the archive index and choose “Compare selected”.";
    return;
  }
  status.textContent = `Loading ${slugs.length} run${slugs.length === 1 ? "" : "s"}…`;
  const [Plot, runs] = await Promise.all([
    import("@observablehq/plot"),
    Promise.all(
      slugs.map(async (slug) => {
        return { slug, doc: await fetchHistoryDownload(base, slug) };
      }),
    ),
  ]);
  const found = runs.filter((r): r is { slug: string; doc: InspectDocument } => r.doc !== null);
  const missing = runs.filter((r) => r.doc === null).map((r) => r.slug);
  status.textContent = `${found.length} run${found.length === 1 ? "" : "s"} compared${missing.length > 0 ? `; not in this archive: ${missing.join(", ")}` : ""}.`;
  const lines = comparedLines(found);
  const names = found.map((r) => runName(r.doc.file));
  legend.replaceChildren(
    ...found.map((r, i) => {
      const li = root.createElement("li");
      const swatch = root.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = compareColors[i % compareColors.length]!;
      const a = root.createElement("a");
      a.href = `${base}experiments/${r.slug}/`;
      a.textContent = names[i]!;
      li.append(swatch, a);
      return li;
    }),
  );
  const metrics = [...new Set(lines.map((l) => l.metric))];
  const width = Math.max(280, Math.min(460, figure.clientWidth));
  figure.replaceChildren(
    ...metrics.map((metric) => {
      const panel = root.createElement("div");
      panel.className = "panel";
      const title = root.createElement("p");
      title.className = "panel-title";
      title.textContent = metric;
      const points = lines.filter((l) => l.metric === metric).flatMap((l) => l.x.map((x, i) => ({ x, y: l.y[i]!, run: names[l.run]!, series: l.name })));
      const byX = [...Map.groupBy(points, (p) => p.x)].map(([x, ps]) => ({ x, text: ps.map((p) => `${p.run}: ${format(p.y)}`).join("\n") }));
      const plot = Plot.plot({
        width,
        height: 240,
        marginLeft: 56,
        x: { label: "epoch", labelAnchor: "right" },
        y: { grid: true, nice: true, label: null },
        color: { domain: names, range: names.map((_, i) => compareColors[i % compareColors.length]!) },
        marks: [
          Plot.frame({ stroke: "currentColor", strokeOpacity: 0.2 }),
          Plot.line(points, { x: "x", y: "y", z: "run", stroke: "run", strokeWidth: 1.6 }),
          Plot.ruleX(byX, Plot.pointerX({ x: "x", stroke: "currentColor", strokeOpacity: 0.5 })),
          Plot.tip(byX, Plot.pointerX({ x: "x", frameAnchor: "top-left", title: (d: { x: number; text: string }) => `${kerasEpoch(d.x, found)}\n${d.text}` })),
        ],
      });
      // Plot's aria-labels on its <g> marks are prohibited there (no role): the image has one name.
      for (const e of plot.querySelectorAll("[aria-label]")) e.removeAttribute("aria-label");
      plot.setAttribute("role", "img");
      plot.setAttribute("aria-label", `${metric}: ${names.join(", ")}`);
      panel.append(title, plot);
      return panel;
    }),
  );
  host.dataset["ready"] = "";
}

/** The slugs a compare URL selects: `?run=a&run=b`, or `?runs=a,b`; each once, in order. */
export function selectedRuns(search: string): string[] {
  const params = new URLSearchParams(search);
  const slugs = [...params.getAll("run"), ...params.getAll("runs").flatMap((v) => v.split(","))].map((s) => s.trim().replace(/^\/+|\/+$/g, ""));
  return [...new Set(slugs.filter((s) => s !== "" && !s.split("/").includes("..")))];
}

/** A run's name: its file's stem. */
export function runName(file: string): string {
  return (file.split("/").pop() ?? file).replace(/\.[^.]+$/, "");
}

/** Plot's observable10 scheme, as the comparison figures use it (kept equal to `valueColors` by a test; not imported: that module loads Plot). */
export const compareColors = ["#4269d0", "#efb118", "#ff725c", "#6cc5b0", "#3ca951", "#ff8ab7", "#a463f2", "#97bbf5", "#9c6b4e", "#9498a0"];

interface Line {
  run: number;
  name: string;
  metric: string;
  x: number[];
  y: number[];
}

/**
 * The lines to overlay: per run, the epoch-axis metric series of its last
 * training, validation where it has any, else training (as the automatic
 * comparisons draw them). Missing and non-finite values are left out.
 */
export function comparedLines(runs: readonly { doc: Pick<InspectDocument, "series" | "attempts"> }[]): Line[] {
  return runs.flatMap(({ doc }, run) => {
    const last = doc.attempts.length - 1;
    const metric = doc.series.filter((s) => s.role === "metric" && s.axis === "epoch" && s.attempt === last);
    const validation = metric.filter((s) => s.split === "validation");
    return (validation.length > 0 ? validation : metric.filter((s) => s.split === "train")).map((s) => {
      const keep = s.y.map((v, i) => [s.x[i]!, v] as const).filter((p): p is readonly [number, number] => typeof p[1] === "number" && Number.isFinite(p[1]));
      return { run, name: s.name, metric: s.metric, x: keep.map((p) => p[0]), y: keep.map((p) => p[1]) };
    });
  });
}

function kerasEpoch(x: number, runs: readonly { doc: Pick<InspectDocument, "format"> }[]): string {
  return runs.every((r) => r.doc.format === "keras") ? `epoch ${x + 1} (CSV ${x})` : `epoch ${x}`;
}

function format(v: number): string {
  return String(Number(v.toPrecision(6)));
}
