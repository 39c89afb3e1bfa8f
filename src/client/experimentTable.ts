import { compareValues, distinctValues, matchesRow, sortRows, type ColumnType, type RowData } from "./tableRows.ts";
import { formatTableState, missingValue, parseTableState, type TableState } from "./tableState.ts";

/**
 * Progressive enhancement of the server-rendered experiment table
 * (ExperimentTable.astro): sort by any column, filter by text and by value,
 * group by date or not, with the view kept in the query string. The table is
 * complete without it. Everything is read from the markup — `th[data-key]`
 * (with `data-type` and `data-filter`), `tbody[data-group]`, and rows
 * `tr[data-slug]` carrying `data-<key>` raw values and `data-text` — and all
 * text is set through `textContent`, never parsed as HTML, since names can
 * hold markup.
 */
export function enhanceTables(root: Document): void {
  for (const table of root.querySelectorAll<HTMLTableElement>("table.experiments[data-enhance]")) enhanceTable(table);
}

interface Column {
  key: string;
  label: string;
  type: ColumnType;
  filter: boolean;
  th: HTMLTableCellElement;
}

interface Row extends RowData {
  tr: HTMLTableRowElement;
  group: string;
}

function enhanceTable(table: HTMLTableElement): void {
  const doc = table.ownerDocument;
  const columns: Column[] = [...table.querySelectorAll<HTMLTableCellElement>("thead th[data-key]")].map((th) => ({
    key: th.dataset["key"]!,
    label: th.textContent?.trim() ?? "",
    type: th.dataset["type"] === "number" ? "number" : "text",
    filter: th.hasAttribute("data-filter"),
    th,
  }));
  const types = Object.fromEntries(columns.map((c) => [c.key, c.type]));
  const groupBodies = [...table.querySelectorAll<HTMLTableSectionElement>("tbody[data-group]")];
  const rows: Row[] = [...table.querySelectorAll<HTMLTableRowElement>("tbody tr[data-slug]")].map((tr, index) => ({
    tr,
    index,
    group: tr.closest("tbody")?.dataset["group"] ?? "",
    search: tr.dataset["text"] ?? "",
    values: Object.fromEntries(columns.map((c) => [c.key, tr.getAttribute(`data-${c.key}`)])),
  }));
  // Without grouping, rows move into one body of their own; the date bodies keep their place.
  const flat = doc.createElement("tbody");
  flat.className = "flat";
  flat.hidden = true;
  table.append(flat);

  const filterColumns = columns.filter((c) => c.filter && distinctValues(rows, c.key, c.type).length > 1);
  const filterKeys = filterColumns.map((c) => c.key);
  const keys = { sortKeys: columns.map((c) => c.key), filterKeys };
  let state = parseTableState(location.search, keys);

  // A div, not a form: there is nothing to submit, and the site's CSP says form-action 'none'.
  const controls = doc.createElement("div");
  controls.className = "table-controls";
  controls.setAttribute("role", "search");
  const text = doc.createElement("input");
  text.type = "search";
  text.name = "q";
  text.placeholder = "name, description, token…";
  controls.append(labelled("Filter", text));
  const selects = new Map<string, HTMLSelectElement>();
  for (const c of filterColumns) {
    const select = doc.createElement("select");
    select.name = c.key;
    select.append(option("all", ""));
    for (const v of distinctValues(rows, c.key, c.type)) select.append(option(v === missingValue ? "none" : v, v));
    selects.set(c.key, select);
    controls.append(labelled(c.label, select));
  }
  const grouped = doc.createElement("input");
  grouped.type = "checkbox";
  grouped.name = "group";
  controls.append(labelled("Group by date", grouped, true));
  const reset = doc.createElement("button");
  reset.type = "button";
  reset.textContent = "Reset";
  const count = doc.createElement("output");
  count.setAttribute("aria-live", "polite");
  controls.append(reset, count);
  (table.closest(".table-scroll") ?? table).before(controls);

  const buttons = new Map<string, HTMLButtonElement>();
  for (const c of columns) {
    const button = doc.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.append(...c.th.childNodes);
    c.th.append(button);
    buttons.set(c.key, button);
    button.addEventListener("click", () => {
      const dir = state.sort === c.key && state.dir === "asc" ? "desc" : "asc";
      update({ ...state, sort: c.key, dir });
    });
  }
  text.addEventListener("input", () => update({ ...state, q: text.value.trim() }));
  for (const [key, select] of selects) {
    select.addEventListener("change", () => {
      const filters = { ...state.filters };
      if (select.value === "") delete filters[key];
      else filters[key] = select.value;
      update({ ...state, filters });
    });
  }
  grouped.addEventListener("change", () => update({ ...state, group: grouped.checked }));
  reset.addEventListener("click", () => update({ sort: null, dir: "asc", q: "", group: true, filters: {} }));

  function update(next: TableState): void {
    state = next;
    const query = formatTableState(state, filterKeys);
    if (query !== location.search) history.replaceState(history.state, "", `${location.pathname}${query}${location.hash}`);
    render();
  }

  function render(): void {
    const sortColumn = columns.find((c) => c.key === state.sort);
    const sorted = sortRows(rows, sortColumn?.key ?? null, sortColumn?.type ?? "text", state.dir);
    let shown = 0;
    for (const row of sorted) {
      row.tr.hidden = !matchesRow(row, state, types);
      if (!row.tr.hidden) shown++;
    }
    table.classList.toggle("ungrouped", !state.group);
    if (state.group) {
      // Groups stay in date order, reversed when the view is sorted by date, newest first.
      const bodies = sortColumn?.key === "date" ? [...groupBodies].sort((a, b) => compareValues(a.dataset["group"], b.dataset["group"], "text", state.dir)) : groupBodies;
      for (const body of bodies) {
        const mine = sorted.filter((r) => r.group === body.dataset["group"]);
        body.append(...mine.map((r) => r.tr));
        body.hidden = mine.every((r) => r.tr.hidden);
        table.insertBefore(body, flat);
      }
      flat.hidden = true;
    } else {
      flat.append(...sorted.map((r) => r.tr));
      for (const body of groupBodies) body.hidden = true;
      flat.hidden = false;
    }
    // Stripes by visible position: nth-child would count hidden rows and group headers.
    let stripe = 0;
    for (const row of sorted) if (!row.tr.hidden) row.tr.classList.toggle("odd", stripe++ % 2 === 1);
    for (const c of columns) {
      if (c.key === state.sort) c.th.setAttribute("aria-sort", state.dir === "asc" ? "ascending" : "descending");
      else c.th.removeAttribute("aria-sort");
    }
    text.value = state.q;
    for (const [key, select] of selects) {
      const value = state.filters[key] ?? "";
      // A linked value no row has still shows, so the empty result explains itself.
      if (![...select.options].some((o) => o.value === value)) select.append(option(value, value));
      select.value = value;
    }
    grouped.checked = state.group;
    count.textContent = shown === rows.length ? `${rows.length} experiments` : `${shown} of ${rows.length} experiments`;
  }

  function option(label: string, value: string): HTMLOptionElement {
    const o = doc.createElement("option");
    o.value = value;
    o.textContent = label;
    return o;
  }

  function labelled(name: string, control: HTMLElement, after = false): HTMLLabelElement {
    const label = doc.createElement("label");
    const span = doc.createElement("span");
    span.textContent = name;
    if (after) label.append(control, span);
    else label.append(span, control);
    return label;
  }

  table.classList.add("enhanced");
  render();
}
