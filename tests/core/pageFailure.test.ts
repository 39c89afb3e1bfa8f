import { describe, expect, it } from "vitest";
import { failedPage, pageFailuresMarker, withPageFailures, type PageFailure } from "../../src/core/pageFailure.ts";

// A message, title and file name that would be markup if they were not escaped.
const failure: PageFailure = {
  slug: "a/b<c",
  file: "a/b<c.csv",
  title: `<img src=x onerror="alert(1)">`,
  message: `Cannot read properties of undefined (reading '<script>alert(1)</script>')`,
  links: [{ path: "files/a/b<c.csv", label: "original file", download: `b"c.csv` }],
};

describe("failedPage", () => {
  it("escapes every value taken from the archive or the error", () => {
    const html = failedPage(failure, { base: "/lab/", title: "Lab & co" });
    expect(html).not.toMatch(/<script|<img|onerror="/);
    expect(html).toContain("This page could not be rendered: Cannot read properties of undefined (reading &#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39;)");
    expect(html).toContain("<title>&lt;img src=x onerror=&quot;alert(1)&quot;&gt; · Lab &amp; co</title>");
    expect(html).toContain('<a href="/lab/files/a/b&lt;c.csv" download="b&quot;c.csv">original file</a>');
    expect(html).toContain('<a href="/lab/">Archive</a>');
  });
});

describe("withPageFailures", () => {
  const page = `<main><h1>Problems</h1>${pageFailuresMarker.start}<p>Every file was read without a problem.</p>${pageFailuresMarker.end}</main>`;
  it("leaves the problems page as it is when no page failed", () => {
    expect(withPageFailures(page, [], "/")).toBe(page);
  });
  it("puts the failed pages, escaped, in place of the marked span", () => {
    const html = withPageFailures(page, [failure], "/");
    expect(html).not.toContain("Every file was read");
    expect(html).not.toContain("<script");
    expect(html).toContain('<a href="/experiments/a/b&lt;c/"><code>a/b&lt;c.csv: warning: the page could not be rendered: Cannot read');
  });
  it("refuses a problems page without the marked span", () => {
    expect(() => withPageFailures("<main></main>", [failure], "/")).toThrow(/no <!--runsite:page-failures-->/);
  });
});
