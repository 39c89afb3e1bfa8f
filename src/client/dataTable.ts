import type { FigureData } from "../core/figureData.ts";
import { enhanceOnce } from "./enhanceOnce.ts";
import { figureDataOf } from "./figureSource.ts";
import { formatReadout } from "./figureMath.ts";

/**
 * The figure's data table (DataTable.astro), drawn in the browser when its
 * `<details>` is first opened, from the values the crosshair already reads
 * (`figureDataOf`): the page carries the values once, not twice.
 * Without JavaScript the `<details>` links the original file instead.
 */
export function enhanceDataTables(root: Document): void {
  for (const details of enhanceOnce<HTMLDetailsElement>(root, "details[data-data-table]", "enhanced")) {
    const figure = root.querySelector<HTMLElement>("figure[data-figure]");
    if (figure === null) continue;
    const draw = () => {
      if (!details.open || details.dataset["drawn"] !== undefined) return;
      details.dataset["drawn"] = "";
      const maxRows = Number(details.dataset["maxRows"] ?? "2000");
      void figureDataOf(figure).then((data) => {
        if (data === null) {
          details.dataset["failed"] = "";
          return;
        }
        details.append(...dataTables(data).map((t) => tableElement(root, t, maxRows)));
      });
    };
    details.addEventListener("toggle", draw);
    draw();
  }
}

/** One table of the data: every value of the last training's series on one x axis, by x. */
export interface DataTable {
  axis: string;
  columns: string[];
  /** x, then each column's value there (`undefined` where that series has no row). */
  rows: [x: number, values: (number | null | undefined)[]][];
  /** A long series was reduced (M4) for the page: its values here are a subset, so no table is drawn. */
  reduced: boolean;
}

/**
 * The tables of a figure's data: one per x axis (epoch, step), a column per
 * series of the last training (the faint earlier trainings are left out, as
 * the summary says), each series once even when two panels draw it, rows by
 * ascending x. Pure, so it is tested without a browser.
 */
export function dataTables(data: FigureData): DataTable[] {
  const byAxis = new Map<string, Map<string, { x: number[]; y: (number | null)[]; reduced: boolean }>>();
  for (const panel of data.panels) {
    const columns = byAxis.get(panel.axis) ?? new Map();
    byAxis.set(panel.axis, columns);
    for (const s of panel.series) {
      if (s.faint || columns.has(s.name)) continue;
      columns.set(s.name, { x: s.x ?? s.y.map((_, i) => s.x0! + i * s.dx!), y: s.y, reduced: s.reduced === true });
    }
  }
  return [...byAxis].map(([axis, columns]) => {
    const series = [...columns.values()];
    const lookup = series.map((s) => new Map(s.x.map((x, i) => [x, s.y[i] ?? null])));
    const xs = [...new Set(series.flatMap((s) => s.x))].sort((a, b) => a - b);
    return { axis, columns: [...columns.keys()], rows: xs.map((x) => [x, lookup.map((m) => (m.has(x) ? m.get(x) : undefined))]), reduced: series.some((s) => s.reduced) };
  });
}

/** The markup ScrollTable.astro writes, built with text nodes only. */
function tableElement(doc: Document, table: DataTable, maxRows: number): HTMLElement {
  if (table.reduced || table.rows.length > maxRows) {
    const p = doc.createElement("p");
    p.textContent = `Too many ${table.axis}s for a table here: the values are in the downloads.`;
    return p;
  }
  const scroll = doc.createElement("div");
  scroll.className = "table-scroll";
  scroll.tabIndex = 0;
  scroll.setAttribute("role", "region");
  scroll.setAttribute("aria-label", `Values by ${table.axis}`);
  const t = doc.createElement("table");
  const head = t.createTHead().insertRow();
  for (const name of [table.axis, ...table.columns]) {
    const th = doc.createElement("th");
    th.scope = "col";
    th.className = "num";
    if (name === table.axis) th.textContent = name;
    else {
      const code = doc.createElement("code");
      code.textContent = name;
      th.append(code);
    }
    head.append(th);
  }
  const body = t.createTBody();
  for (const [x, values] of table.rows) {
    const tr = body.insertRow();
    const th = doc.createElement("th");
    th.scope = "row";
    th.className = "num";
    th.textContent = String(x);
    tr.append(th);
    for (const v of values) {
      const td = tr.insertCell();
      td.className = "num";
      td.textContent = v === undefined ? "" : formatReadout(v);
    }
  }
  scroll.append(t);
  return scroll;
}
