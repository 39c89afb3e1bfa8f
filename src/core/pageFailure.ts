import { compareStrings, formatDiagnostic, type Diagnostic } from "./diagnostics.ts";

/**
 * An experiment page that threw while it was rendered. The build still writes
 * a page for it (`failedPage`) and lists it as that experiment's problem
 * (`pageFailureDiagnostic`, `withPageFailures`): failures stay local.
 */
export interface PageFailure {
  slug: string;
  /** The experiment's root-relative history file, as problems name it. */
  file: string;
  /** The experiment's title, as its page would have shown it. */
  title: string;
  /** Why rendering failed: the error's message. */
  message: string;
  /** Its original files (`files/…`) and derived downloads (`downloads/<slug>/history.json`), site-relative. */
  links: { path: string; label: string; download: string }[];
}

/** Text for HTML text and attribute values: nothing in it can become markup. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** The problem a failed page is, in the form every other problem takes. */
export function pageFailureDiagnostic(failure: PageFailure): Diagnostic {
  return { file: failure.file, line: 0, reason: `the page could not be rendered: ${failure.message}`, fatal: false, ruleId: "page" };
}

/**
 * The page written in place of one that threw: built from strings alone, so
 * that nothing which could throw again (the layout, a component) is on its
 * way. Every value is escaped; no script, a CSP that allows none.
 */
export function failedPage(failure: PageFailure, site: { base: string; title: string }): string {
  const href = (p: string) => escapeHtml(`${site.base.replace(/\/$/, "")}/${p.replace(/^\//, "")}`);
  const links = failure.links.map((l) => `<a href="${href(l.path)}" download="${escapeHtml(l.download)}">${escapeHtml(l.label)}</a>`).join(" · ");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="runsite">
<meta http-equiv="content-security-policy" content="default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; base-uri 'self'; form-action 'none'">
<link rel="icon" type="image/svg+xml" href="${href("/favicon.svg")}">
<title>${escapeHtml(failure.title)} · ${escapeHtml(site.title)}</title>
<style>:root{color-scheme:light dark;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5}body{max-width:1100px;margin:0 auto;padding:0.75rem 1.5rem 3rem}h1{font-size:1.6rem;overflow-wrap:anywhere}code{overflow-wrap:anywhere}.warning{border-left:4px solid #c98a00;padding:0.5rem 1rem}</style>
</head>
<body>
<header><nav><a href="${href("/")}">Archive</a> · <a href="${href("/problems/")}">Problems</a></nav></header>
<main id="main">
<h1>${escapeHtml(failure.title)}</h1>
<p><code>${escapeHtml(failure.file)}</code></p>
<p class="warning" role="note">This page could not be rendered: ${escapeHtml(failure.message)}</p>
<p>Its data: ${links}</p>
</main>
</body>
</html>
`;
}

/**
 * Where the problems page lists the pages that could not be rendered. Those
 * may fail after the problems page was rendered, so the page leaves this span
 * (what it says when there is no problem at all, or nothing) and the build
 * fills it in once every page is written (`withPageFailures`).
 */
export const pageFailuresMarker = { start: "<!--runsite:page-failures-->", end: "<!--/runsite:page-failures-->" } as const;

/** The problems page's HTML with the failed pages in the marked span; unchanged when there are none. */
export function withPageFailures(html: string, failures: readonly PageFailure[], base: string): string {
  if (failures.length === 0) return html;
  const start = html.indexOf(pageFailuresMarker.start);
  const end = html.indexOf(pageFailuresMarker.end, start);
  if (start < 0 || end < 0) throw new Error(`the problems page has no ${pageFailuresMarker.start} … ${pageFailuresMarker.end} span for the pages that could not be rendered`);
  const href = (slug: string) => escapeHtml(`${base.replace(/\/$/, "")}/experiments/${slug}/`);
  const items = [...failures]
    .sort((a, b) => compareStrings(a.file, b.file))
    .map((f) => `<li><a href="${href(f.slug)}"><code>${escapeHtml(formatDiagnostic(pageFailureDiagnostic(f)))}</code></a></li>`)
    .join("");
  const section = `<section class="problem"><h2>Pages that could not be rendered</h2><div class="warning" role="note" data-pagefind-ignore><p>Each was written as a short page with links to its data.</p><ul>${items}</ul></div></section>`;
  return html.slice(0, start) + section + html.slice(end + pageFailuresMarker.end.length);
}
