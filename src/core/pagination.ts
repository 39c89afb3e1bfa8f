/**
 * Pages of a long list of runs: the archive index and the facet pages are cut
 * into pages of {@link pageSize} rows, so that a page's HTML does not grow with
 * the archive. Page 1 is the list's own path (`/`, `/models/unet/`), page n the
 * path plus `page/<n>/`. Pure: used by the routes and the browser alike.
 */

/**
 * Rows per page, static and in the browser: two screenfuls and about 50 KB of HTML. Chromium's
 * layout of a page of rows is most of a sort's or a filter's time (≈ 0.5 ms a row of 20 cells
 * on the benchmark's machine), so 100 rows took 95–130 ms to show a new order, 50 rows 55–70 ms.
 */
export const pageSize = 50;

/** The number of pages for `total` rows: at least 1, so an empty list still has its page. */
export function pageCount(total: number, size = pageSize): number {
  return Math.max(1, Math.ceil(total / size));
}

/** The site path (without base) of page `n` of the list at `first` (`""`, `models/unet/`). */
export function pagePath(first: string, n: number): string {
  return n <= 1 ? first : `${first}page/${n}/`;
}

/**
 * The page numbers a pager links to around `current`: the first, the last and
 * `reach` either side, with `null` where numbers are left out. Bounded (at most
 * 2 × reach + 5 entries), so a pager stays small for any number of pages, and
 * every page is reachable by following next or the numbers.
 *
 * @example pageWindow(7, 20) // [1, null, 5, 6, 7, 8, 9, null, 20]
 */
export function pageWindow(current: number, count: number, reach = 2): (number | null)[] {
  const out: (number | null)[] = [];
  const from = Math.max(1, current - reach);
  const to = Math.min(count, current + reach);
  if (from > 1) out.push(1);
  if (from > 3) out.push(null);
  else if (from === 3) out.push(2);
  for (let n = from; n <= to; n++) out.push(n);
  if (to < count - 2) out.push(null);
  else if (to === count - 2) out.push(count - 1);
  if (to < count) out.push(count);
  return out;
}
