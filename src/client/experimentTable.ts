import type { Column } from "../core/experimentTable.ts";
import { pageCount, pageSize, pageWindow } from "../core/pagination.ts";
import type { RunIndex } from "../core/runIndex.ts";
import { compareValues, decodeRunIndex, distinctValues, rowFilter, type RunRows, sortKeys, sortOrder } from "./tableRows.ts";
import { formatTableState, missingValue, parseTableState, type TableState } from "./tableState.ts";

/**
 * Progressive enhancement of the experiment table (ExperimentTable.astro).
 * Without it a page shows one page of runs and a pager. With it the table
 * reads every run from `/runs.json` (core/runIndex.ts) and sorts and filters
 * all of them — by any column, by text, by value, grouped by date or not —
 * showing one page of the result, with the view kept in the query string.
 * Rows are built with DOM calls and `textContent`, never parsed as HTML, since
 * names can hold markup.
 *
 * For measurements, each render sets `data-state="ready"`, `data-renders` (a
 * count) and `data-render-ms` (the time of sorting, filtering and building the
 * rows) on the table and dispatches a `runsite:table-render` event with
 * `{ms, shown}`.
 */
export function enhanceTables(root: Document): void {
  for (const table of root.querySelectorAll<HTMLTableElement>("table.experiments[data-enhance]")) void enhanceTable(table);
}

async function enhanceTable(table: HTMLTableElement): Promise<void> {
  const url = table.dataset["runs"];
  if (url === undefined) return;
  let rows: RunRows;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    rows = decodeRunIndex((await response.json()) as RunIndex);
  } catch {
    // The static page stays as it is: complete for its page, with its pager.
    table.dataset["state"] = "static";
    return;
  }
  buildTable(table, rows);
}

function buildTable(table: HTMLTableElement, data: RunRows): void {
  const doc = table.ownerDocument;
  const root = table.dataset["root"] ?? "/";
  const first = table.dataset["first"] ?? location.pathname;
  const omit = parseList(table.dataset["omit"]);
  const scope = parseScope(table.dataset["scope"]);
  // The runs of this list: all, or a facet's (its column has one of its names).
  const scopeColumn = scope === null ? -1 : data.columns.findIndex((c) => c.key === scope.key);
  const base: number[] = [];
  for (let i = 0; i < data.count; i++) if (scopeColumn < 0 || scope!.values.includes(data.values[scopeColumn]![i] ?? "")) base.push(i);
  // Columns as the static table has them: not the omitted ones, nor ones no run of this list has.
  const shown = data.columns.flatMap((column, k) => (omit.includes(column.key) || base.every((i) => data.values[k]![i] === null) ? [] : [{ column, k }]));
  const dated = shown.some(({ column }) => column.key === "date");
  const filterColumns = shown.filter(({ column, k }) => column.filter && distinctValues(pick(data.values[k]!, base), column.type).length > 1);
  const filterKeys = filterColumns.map(({ column }) => column.key);
  const keys = { sortKeys: shown.map(({ column }) => column.key), filterKeys };
  let state = parseTableState(location.search, keys);
  if (!new URLSearchParams(location.search).has("page")) state.page = Number(table.dataset["page"] ?? "1") || 1;
  const sortCache = new Map<number, Float64Array>();
  let renders = 0;

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
  for (const { column, k } of filterColumns) {
    const select = doc.createElement("select");
    select.name = column.key;
    select.append(option("all", ""));
    // "—", as the table's cells write a value the file name does not give.
    for (const v of distinctValues(pick(data.values[k]!, base), column.type)) select.append(option(v === missingValue ? "— (not given)" : v, v));
    selects.set(column.key, select);
    controls.append(labelled(column.label, select));
  }
  // Grouping by date only where there are dates to group by.
  const grouped = doc.createElement("input");
  grouped.type = "checkbox";
  grouped.name = "group";
  if (dated) controls.append(labelled("Group by date", grouped, true));
  const reset = doc.createElement("button");
  reset.type = "button";
  reset.textContent = "Reset";
  const count = doc.createElement("output");
  count.setAttribute("aria-live", "polite");
  // Runs picked for the compare view (/compare/selected/?run=…): a checkbox per row, kept across pages and filters.
  const compareBase = table.dataset["compare"];
  const picked = new Set<string>();
  const compare = doc.createElement("a");
  compare.className = "compare-selected";
  if (compareBase !== undefined) controls.append(compare);
  controls.append(reset, count);
  const scroller = table.closest<HTMLElement>(".table-scroll");
  (scroller ?? table).before(controls);
  // Says so when columns are out of sight to the right (besides the container's edge shadow).
  const hint = doc.createElement("span");
  hint.className = "scroll-hint-text";
  hint.textContent = "More columns: scroll the table sideways →";
  controls.append(hint);
  const checkScroll = () => void (hint.hidden = scroller === null || scroller.scrollLeft + scroller.clientWidth >= scroller.scrollWidth - 1);
  scroller?.addEventListener("scroll", checkScroll, { passive: true });
  doc.defaultView?.addEventListener("resize", checkScroll);

  // The header, from the data: a sort button per column, and the compare column.
  const head = doc.createElement("tr");
  const headers = new Map<string, HTMLTableCellElement>();
  if (compareBase !== undefined) {
    const th = doc.createElement("th");
    th.scope = "col";
    th.className = "pick";
    th.textContent = "Compare";
    head.append(th);
  }
  for (const { column } of shown) {
    const th = doc.createElement("th");
    th.scope = "col";
    if (column.type === "number") th.className = "num";
    th.dataset["key"] = column.key;
    if (column.title !== undefined) th.title = column.title;
    const button = doc.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = column.label;
    button.addEventListener("click", () => {
      // Best first on the first click (a higher-is-better metric descends), then the other way.
      const firstDir = column.best === "max" ? "desc" : "asc";
      const dir = state.sort === column.key ? (state.dir === "asc" ? "desc" : "asc") : firstDir;
      // Sorting by a metric or parameter is a leaderboard of every run: it ungroups
      // (the date groups come back with the checkbox). Sorting by date keeps them.
      update({ ...state, sort: column.key, dir, group: column.key === "date" ? state.group : false, page: 1 });
    });
    th.append(button);
    headers.set(column.key, th);
    head.append(th);
  }
  const thead = table.tHead ?? table.createTHead();
  thead.replaceChildren(head);
  const width = head.children.length;
  for (const body of [...table.tBodies]) body.remove();

  // The pager of the static page gives way to one over the matching runs.
  const staticPager = scroller?.nextElementSibling?.matches("nav.pager") ? scroller.nextElementSibling : null;
  staticPager?.remove();
  const pager = doc.createElement("nav");
  pager.className = "pager";
  pager.setAttribute("aria-label", "Pages of experiments");
  (scroller ?? table).after(pager);

  text.addEventListener("input", () => update({ ...state, q: text.value.trim(), page: 1 }));
  for (const [key, select] of selects) {
    select.addEventListener("change", () => {
      const filters = { ...state.filters };
      if (select.value === "") delete filters[key];
      else filters[key] = select.value;
      update({ ...state, filters, page: 1 });
    });
  }
  grouped.addEventListener("change", () => update({ ...state, group: grouped.checked, page: 1 }));
  reset.addEventListener("click", () => update({ sort: null, dir: "asc", q: "", group: true, filters: {}, page: 1 }));

  function update(next: TableState): void {
    state = next;
    const query = formatTableState(state, filterKeys);
    // Page 1's path: the view, page included, is in the query, so /page/3/ becomes /?page=3 once changed.
    if (`${location.pathname}${location.search}` !== `${first}${query}`) history.replaceState(history.state, "", `${first}${query}${location.hash}`);
    render();
  }

  function keysOf(k: number): Float64Array {
    let keys = sortCache.get(k);
    if (keys === undefined) sortCache.set(k, (keys = sortKeys(data.values[k]!, data.columns[k]!.type)));
    return keys;
  }

  function render(): void {
    const start = performance.now();
    const sortColumn = shown.find(({ column }) => column.key === state.sort);
    const matching = base.filter(rowFilter(data, state));
    let order = sortOrder(matching, sortColumn === undefined ? null : keysOf(sortColumn.k), state.dir);
    const group = dated && state.group;
    if (group) {
      // Rows under their date; dates in archive order, reversed when the view is sorted by date, newest first.
      const byGroup = new Map<string, number[]>();
      for (const i of base) if (!byGroup.has(data.groups[i]!)) byGroup.set(data.groups[i]!, []);
      for (const i of order) byGroup.get(data.groups[i]!)!.push(i);
      const dates = [...byGroup.keys()];
      if (sortColumn?.column.key === "date") dates.sort((a, b) => compareValues(a, b, "text", state.dir));
      order = dates.flatMap((d) => byGroup.get(d)!);
    }
    const pages = pageCount(order.length, pageSize);
    const page = Math.min(Math.max(1, state.page), pages);
    const slice = order.slice((page - 1) * pageSize, page * pageSize);
    for (const body of [...table.tBodies]) body.remove();
    let body: HTMLTableSectionElement | null = null;
    let current: string | null = null;
    for (const [n, i] of slice.entries()) {
      if (body === null || (group && data.groups[i] !== current)) {
        body = doc.createElement("tbody");
        if (group) {
          current = data.groups[i]!;
          body.dataset["group"] = current;
          const tr = doc.createElement("tr");
          tr.className = "group";
          const th = doc.createElement("th");
          th.colSpan = width;
          th.scope = "rowgroup";
          th.id = `date-${current}`;
          th.textContent = current;
          tr.append(th);
          body.append(tr);
        } else body.className = "flat";
        table.append(body);
      }
      const tr = row(i);
      // Stripes by visible position: nth-child would count group headers.
      if (n % 2 === 1) tr.className = "odd";
      body.append(tr);
    }
    if (slice.length === 0) table.append(noMatch());
    table.classList.toggle("ungrouped", !group);
    for (const [key, th] of headers) {
      if (key === state.sort) th.setAttribute("aria-sort", state.dir === "asc" ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    }
    text.value = state.q;
    for (const [key, select] of selects) {
      const value = state.filters[key] ?? "";
      // A linked value no row has still shows, so the empty result explains itself.
      if (![...select.options].some((o) => o.value === value)) select.append(option(value, value));
      select.value = value;
    }
    grouped.checked = state.group;
    count.textContent = `${order.length === base.length ? `${base.length}` : `${order.length} of ${base.length}`} experiments${pages > 1 ? `, page ${page} of ${pages}` : ""}`;
    renderPager(page, pages);
    updateCompare();
    const ms = performance.now() - start;
    table.dataset["state"] = "ready";
    table.dataset["renders"] = String(++renders);
    table.dataset["renderMs"] = ms.toFixed(1);
    table.dispatchEvent(new CustomEvent("runsite:table-render", { detail: { ms, shown: order.length } }));
  }

  function row(i: number): HTMLTableRowElement {
    const tr = doc.createElement("tr");
    tr.dataset["slug"] = data.slugs[i]!;
    if (compareBase !== undefined) {
      const td = doc.createElement("td");
      td.className = "pick";
      const box = doc.createElement("input");
      box.type = "checkbox";
      box.name = "compare";
      box.value = data.slugs[i]!;
      box.checked = picked.has(box.value);
      const stem = shown.find(({ column }) => column.key === "stem");
      box.setAttribute("aria-label", `Compare ${stem === undefined ? box.value : data.texts[stem.k]![i]!}`);
      box.addEventListener("change", () => {
        if (box.checked) picked.add(box.value);
        else picked.delete(box.value);
        updateCompare();
      });
      td.append(box);
      tr.append(td);
    }
    for (const { column, k } of shown) tr.append(cell(column, k, i));
    return tr;
  }

  function cell(column: Column, k: number, i: number): HTMLTableCellElement {
    const td = doc.createElement("td");
    const classes = [column.key === "stem" || column.key === "date" ? column.key : "", column.type === "number" ? "num" : ""].filter(Boolean);
    if (classes.length > 0) td.className = classes.join(" ");
    const title = data.titles[k]![i];
    if (title !== null && title !== undefined) td.title = title;
    const shownText = data.texts[k]![i]!;
    const path = data.paths[k]![i];
    if (path !== null && path !== undefined) {
      const a = doc.createElement("a");
      a.href = `${root}${path}`;
      // Names break after "_" (token boundaries), never inside a token.
      if (column.key === "stem")
        for (const [n, token] of shownText.split(/(?<=_)/).entries()) {
          if (n > 0) a.append(doc.createElement("wbr"));
          a.append(token);
        }
      else a.textContent = shownText;
      td.append(a);
    } else td.textContent = shownText;
    const note = data.notes[k]![i];
    if (note !== null && note !== undefined) {
      const small = doc.createElement("small");
      small.textContent = ` ${note}`;
      td.append(small);
    }
    return td;
  }

  // A row that says so when nothing matches, with a way back.
  function noMatch(): HTMLTableSectionElement {
    const none = doc.createElement("tbody");
    none.className = "no-match";
    const tr = doc.createElement("tr");
    const td = doc.createElement("td");
    td.colSpan = width;
    td.textContent = "No runs match the filter. ";
    const clear = doc.createElement("button");
    clear.type = "button";
    clear.textContent = "Show all runs";
    clear.addEventListener("click", () => reset.click());
    td.append(clear);
    tr.append(td);
    none.append(tr);
    return none;
  }

  function renderPager(page: number, pages: number): void {
    const focused = pager.contains(doc.activeElement) ? (doc.activeElement as HTMLElement).dataset["to"] : undefined;
    pager.replaceChildren();
    pager.hidden = pages <= 1;
    if (pages <= 1) return;
    const go = (label: string, to: number, disabled: boolean, name?: string) => {
      const button = doc.createElement("button");
      button.type = "button";
      button.textContent = label;
      button.dataset["to"] = name ?? String(to);
      if (name === undefined) button.setAttribute("aria-label", `Page ${to}`);
      if (to === page && name === undefined) button.setAttribute("aria-current", "page");
      button.disabled = disabled;
      button.addEventListener("click", () => update({ ...state, page: to }));
      pager.append(button);
    };
    go("← Previous", page - 1, page === 1, "prev");
    for (const n of pageWindow(page, pages)) {
      if (n === null) {
        const gap = doc.createElement("span");
        gap.setAttribute("aria-hidden", "true");
        gap.textContent = "…";
        pager.append(gap);
      } else go(String(n), n, false);
    }
    go("Next →", page + 1, page === pages, "next");
    // Focus stays on the pager's button after it is rebuilt, or moves to the current page when that one is gone.
    if (focused !== undefined)
      (pager.querySelector<HTMLButtonElement>(`button[data-to="${focused}"]:not(:disabled)`) ?? pager.querySelector<HTMLButtonElement>('button[aria-current="page"]'))?.focus();
  }

  function updateCompare(): void {
    if (compareBase === undefined) return;
    const query = new URLSearchParams([...picked].map((slug) => ["run", slug]));
    compare.textContent = `Compare selected (${picked.size})`;
    if (picked.size >= 1) compare.href = `${compareBase}?${query}`;
    else compare.removeAttribute("href");
    compare.setAttribute("aria-disabled", String(picked.size === 0));
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

function pick<T>(values: readonly T[], rows: readonly number[]): T[] {
  return rows.map((i) => values[i]!);
}

/** A JSON list of strings from an attribute the page wrote, else none. */
function parseList(text: string | undefined): string[] {
  try {
    const list: unknown = JSON.parse(text ?? "[]");
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

function parseScope(text: string | undefined): { key: string; values: string[] } | null {
  if (text === undefined) return null;
  try {
    const scope = JSON.parse(text) as { key?: unknown; values?: unknown };
    return typeof scope.key === "string" && Array.isArray(scope.values) ? { key: scope.key, values: scope.values.filter((x): x is string => typeof x === "string") } : null;
  } catch {
    return null;
  }
}
