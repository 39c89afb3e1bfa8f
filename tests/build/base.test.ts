import { existsSync, statSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildSample } from "../support/cli.ts";

const site = "https://lab.github.io";
const base = "/fat-unet/";

/** The file GitHub Pages would serve for a site path below `base`, or null. */
function served(dist: string, pathname: string): string | null {
  const rest = decodeURIComponent(pathname.slice(base.length));
  const file = path.join(dist, rest);
  if (rest === "" || rest.endsWith("/")) return existsSync(path.join(file, "index.html")) ? path.join(file, "index.html") : null;
  if (existsSync(file) && statSync(file).isFile()) return file;
  return existsSync(path.join(file, "index.html")) ? path.join(file, "index.html") : null;
}

describe("runsite build --site URL --base PATH (GitHub Pages project site)", () => {
  let dist: string;
  let pages: string[];
  beforeAll(async () => {
    const { dist: built } = await buildSample(["--site", site, "--base", base]);
    dist = built;
    const entries = await readdir(dist, { recursive: true, withFileTypes: true });
    pages = entries.filter((e) => e.isFile() && e.name.endsWith(".html")).map((e) => path.join(e.parentPath, e.name));
  });

  it("every href and src on every page resolves to a file in dist/ under the base", async () => {
    expect(pages.length).toBeGreaterThan(11);
    const broken: string[] = [];
    let checked = 0;
    for (const page of pages) {
      const html = await readFile(page, "utf8");
      const pageUrl = new URL(
        `${base}${path
          .relative(dist, page)
          .split(path.sep)
          .join("/")
          .replace(/index\.html$/, "")}`,
        site,
      );
      for (const [, attr, value] of html.matchAll(/\s(href|src)="([^"]*)"/g)) {
        const raw = value!.replace(/&amp;/g, "&");
        if (/^(mailto:|data:|javascript:)/i.test(raw) || raw.startsWith("#")) continue;
        const url = new URL(raw, pageUrl);
        if (url.origin !== new URL(site).origin) continue; // external: doi.org, proceedings, …
        checked++;
        if (!url.pathname.startsWith(base) || served(dist, url.pathname) === null) broken.push(`${path.relative(dist, page)}: ${attr}="${raw}"`);
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });

  it("pages carry a canonical link on the site's origin, and a 404 page exists", async () => {
    const html = await readFile(
      path.join(dist, "experiments/2021-03-02/unet_2d_mdice/fat_768x384x1/unet_2d_mdice_AdaDelta_fat_768x384x1_N204_E24_L4_FBL24_DR40/index.html"),
      "utf8",
    );
    expect(html).toContain(
      `<link rel="canonical" href="${site}${base}experiments/2021-03-02/unet_2d_mdice/fat_768x384x1/unet_2d_mdice_AdaDelta_fat_768x384x1_N204_E24_L4_FBL24_DR40/">`,
    );
    expect(existsSync(path.join(dist, "404.html"))).toBe(true);
  });
});
