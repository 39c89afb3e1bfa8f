// The README's screenshots, taken from the sample site in real Chromium:
//
//   node scripts/screenshots.ts [--site DIR] [--out DIR]
//
// Builds the sample archive (runs/, content/) into a temporary folder with the CLI (or takes an
// already built --site), serves it on loopback and writes docs/screenshot-*.png: the experiment
// page in light and dark, at 375 px, printed at A4, with the crosshair, and the compare view.
// Tests never write into the working tree; this script is the one place that does.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { launchBrowser } from "../tests/support/browser.ts";
import { buildSample } from "../tests/support/cli.ts";
import { serveStatic } from "../tests/support/serve.ts";

const repo = fileURLToPath(new URL("../", import.meta.url));
const { values } = parseArgs({ options: { site: { type: "string" }, out: { type: "string", default: path.join(repo, "docs") } } });
const out = path.resolve(values.out!);

const experiment = "experiments/2021-03-17/unet_2d_mdice/fat_384x192x1/unet_2d_mdice_Adam_fat_384x192x1_N48_E300_L3_FBL8/";
const early = "experiments/2021-03-12/unet_2d_mdice_ag/fat_768x384x1/unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20/";

let site = values.site;
// Built as `npm run build` builds it: with the sample's runsite.config.json (the seed's min_delta).
if (site === undefined) site = (await buildSample()).dist;
const server = await serveStatic(path.resolve(site));
const browser = await launchBrowser();
const shoot = async (
  name: string,
  url: string,
  options: { width?: number; height?: number; dark?: boolean; print?: boolean; full?: boolean; act?: (page: import("playwright").Page) => Promise<void> } = {},
) => {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 900 }, colorScheme: options.dark ? "dark" : "light" });
  const page = await context.newPage();
  await page.goto(new URL(url, server.url).href, { waitUntil: "load" });
  if (options.print) await page.emulateMedia({ media: "print" });
  await options.act?.(page);
  const file = path.join(out, `screenshot-${name}.png`);
  await page.screenshot({ path: file, fullPage: options.full ?? false });
  await context.close();
  process.stdout.write(`${path.relative(repo, file)}\n`);
};

try {
  await shoot("experiment", early);
  await shoot("dark", early, { dark: true });
  await shoot("crosshair", `${experiment}?smooth=0.6`, {
    act: async (page) => {
      const svg = page.locator('.panel[data-panel="1"] svg.runsite-panel');
      const box = (await svg.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.5);
    },
  });
  await shoot("phone", early, { width: 375, height: 1500 });
  // A4 at 96 dpi: 794 px wide.
  await shoot("print", early, { width: 794, height: 1123, print: true, full: true });
  await shoot("index", "", { width: 1280 });
  const three = [
    "2021-03-15/unet_2d_mdice/fat_384x192x1/unet_2d_mdice_AdaDelta_fat_384x192x1_N48_E60_L4_FBL24",
    "2021-03-15/unet_2d_mdice/fat_384x192x1/unet_2d_mdice_AdaDelta_fat_384x192x1_N48_E60_L4_FBL24_DR40",
    "2021-03-17/unet_2d_mdice/fat_384x192x1/unet_2d_mdice_Adam_fat_384x192x1_N48_E300_L3_FBL8",
  ];
  await shoot("compare", `compare/selected/?${three.map((s) => `run=${encodeURIComponent(s)}`).join("&")}`, {
    full: true,
    act: async (page) => void (await page.waitForSelector("[data-compare-figure] svg", { timeout: 10_000 })),
  });
  // The figure downloads for slides and papers (figure.svg, figure-dark.svg) as they look on a black slide.
  const dr40 = "2021-03-02/unet_2d_mdice/fat_768x384x1/unet_2d_mdice_AdaDelta_fat_768x384x1_N204_E24_L4_FBL24_DR40";
  const slide = await browser.newPage({ viewport: { width: 1000, height: 1160 } });
  // Made in the browser on click (see docs/downloads.md).
  await slide.goto(new URL(`experiments/${dr40}/`, server.url).href);
  const svgs: string[] = [];
  for (const name of ["figure.svg", "figure-dark.svg"]) {
    const [download] = await Promise.all([slide.waitForEvent("download"), slide.locator(`p.downloads button[data-download="${name}"]`).click()]);
    svgs.push(await readFile((await download.path())!, "utf8"));
  }
  await slide.setContent(`<body style="margin:0;background:#000">${svgs.map((svg) => `<div>${svg.replace(/^<\?xml[^>]*>\n/, "")}</div>`).join("")}</body>`);
  await slide.screenshot({ path: path.join(out, "screenshot-figure-on-black.png"), fullPage: true });
  console.log(path.join(out, "screenshot-figure-on-black.png"));
} finally {
  await browser.close();
  await server.close();
}
