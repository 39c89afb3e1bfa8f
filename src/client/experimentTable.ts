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
  /** The better direction of a metric column (`data-best`): its first click sorts best first. */
  best: "max" | "min" | null;
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
    best: th.dataset["best"] === "max" ? "max" : th.dataset["best"] === "min" ? "min" : null,
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
    // "—", as the table's cells write a value the file name does not give.
    for (const v of distinctValues(rows, c.key, c.type)) select.append(option(v === missingValue ? "— (not given)" : v, v));
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
  // Runs picked for the compare view (/compare/selected/?run=…): a checkbox per row.
  const compareBase = table.dataset["compare"];
  const picked = new Set<string>();
  const compare = doc.createElement("a");
  compare.className = "compare-selected";
  if (compareBase !== undefined) {
    const th = doc.createElement("th");
    th.scope = "col";
    th.className = "pick";
    th.textContent = "Compare";
    table.querySelector("thead tr")?.prepend(th);
    for (const cell of table.querySelectorAll<HTMLTableCellElement>("tr.group th[colspan]")) cell.colSpan += 1;
    for (const row of rows) {
      const td = doc.createElement("td");
      td.className = "pick";
      const box = doc.createElement("input");
      box.type = "checkbox";
      box.name = "compare";
      box.value = row.tr.dataset["slug"] ?? "";
      box.setAttribute("aria-label", `Compare ${row.tr.querySelector("td.stem")?.textContent?.trim() ?? box.value}`);
      box.addEventListener("change", () => {
        if (box.checked) picked.add(box.value);
        else picked.delete(box.value);
        updateCompare();
      });
      td.append(box);
      row.tr.prepend(td);
    }
    controls.append(compare);
    updateCompare();
  }
  function updateCompare(): void {
    const query = new URLSearchParams([...picked].map((slug) => ["run", slug]));
    compare.textContent = `Compare selected (${picked.size})`;
    if (picked.size >= 1) compare.href = `${compareBase}?${query}`;
    else compare.removeAttribute("href");
    compare.setAttribute("aria-disabled", String(picked.size === 0));
  }
  controls.append(reset, count);
  // A row that says so when nothing matches.
  const none = doc.createElement("tbody");
  none.className = "no-match";
  const noneRow = doc.createElement("tr");
  const noneCell = doc.createElement("td");
  noneCell.colSpan = columns.length + (compareBase !== undefined ? 1 : 0);
  noneCell.textContent = "No runs match the filter. ";
  const clear = doc.createElement("button");
  clear.type = "button";
  clear.textContent = "Show all runs";
  clear.addEventListener("click", () => reset.click());
  noneCell.append(clear);
  noneRow.append(noneCell);
  none.append(noneRow);
  none.hidden = true;
  table.append(none);
  (table.closest(".table-scroll") ?? table).before(controls);
  // Says so when columns are out of sight to the right (besides the container's edge shadow).
  const scroller = table.closest<HTMLElement>(".table-scroll");
  const hint = doc.createElement("span");
  hint.className = "scroll-hint-text";
  hint.textContent = "More columns: scroll the table sideways →";
  controls.append(hint);
  const checkScroll = () => void (hint.hidden = scroller === null || scroller.scrollLeft + scroller.clientWidth >= scroller.scrollWidth - 1);
  scroller?.addEventListener("scroll", checkScroll, { passive: true });
  doc.defaultView?.addEventListener("resize", checkScroll);

  const buttons = new Map<string, HTMLButtonElement>();
  for (const c of columns) {
    const button = doc.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.append(...c.th.childNodes);
    c.th.append(button);
    buttons.set(c.key, button);
    button.addEventListener("click", () => {
      // Best first on the first click (a higher-is-better metric descends), then the other way.
      const first = c.best === "max" ? "desc" : "asc";
      const dir = state.sort === c.key ? (state.dir === "asc" ? "desc" : "asc") : first;
      // Sorting by a metric or parameter is a leaderboard of every run: it ungroups
      // (the date groups come back with the checkbox). Sorting by date keeps them.
      update({ ...state, sort: c.key, dir, group: c.key === "date" ? state.group : false });
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
    none.hidden = shown > 0;
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
  checkScroll();
}
