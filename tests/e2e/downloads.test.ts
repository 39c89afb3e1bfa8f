import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/cli/build.ts";
import type { CliValues } from "../../src/cli/main.ts";
import { epochNumbering } from "../../src/core/earlyStopping.ts";
import { formatPaperTable } from "../../src/core/exportTable.ts";
import { exportFigureSvg, figureThemes } from "../../src/core/figureExport.ts";
import { figurePartsFromPage, joinFigure } from "../../src/core/pageFigure.ts";
import { formatStopTable } from "../../src/core/stopTable.ts";
import { loadSite, type Site } from "../../src/io/loadSite.ts";
import { buildSample } from "../support/cli.ts";
import { repoRoot } from "../support/fixtures.ts";
import { useServedSite } from "../support/servedSite.ts";

const agSlug = "2021-03-12/unet_2d_mdice_ag/fat_768x384x1/unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20";
const stem = agSlug.split("/").pop()!;

/** The page draws each panel without Plot's aria-labels (prohibited on its <g> marks: see PanelFigure.astro); the download is the page's figure. */
function withoutPanelAriaLabels(svg: string): string {
  return svg.replace(
    /(<text class="panel-title"[^>]*>[^<]*<\/text>)(<svg [\s\S]*?<\/svg>)/g,
    (_, title: string, panel: string) => title + panel.replace(/ aria-label="[^"]*"/g, ""),
  );
}

describe("the generated downloads of an experiment page, in Chromium", () => {
  let cwd = "";
  let site: Site;
  const served = useServedSite(async () => {
    const built = await buildSample();
    cwd = built.cwd;
    return built.dist;
  });
  beforeAll(async () => {
    // The site as the build loaded it (the figure from the build's cache), for what the core functions make in Node.
    site = await loadSite(await loadConfig(cwd, { runs: path.join(repoRoot, "runs"), content: path.join(repoRoot, "content") } as CliValues), cwd);
  }, 120_000);

  it("the site writes one derived file per experiment: history.json, beside the original file", async () => {
    await expect(readdir(path.join(served.dist, "downloads", agSlug))).resolves.toEqual(["history.json"]);
  });

  it("each button saves, as <stem>.<name>, what the core function makes in Node: the figure light and dark, the early-stopping CSV, LaTeX and Markdown", async () => {
    const experiment = site.experimentsBySlug.get(agSlug)!;
    site.wantFigure(agSlug);
    const built = withoutPanelAriaLabels(await readFile(await site.figures.get(agSlug)!, "utf8"));
    // The page holds the figure once, in its smaller page form; the download is that joined into one SVG.
    const parts = figurePartsFromPage(await readFile(path.join(served.dist, "experiments", agSlug, "index.html"), "utf8"));
    expect(parts?.panels.length).toBe(5);
    const figure = joinFigure(parts!);
    const { patience, semantics } = site.config.earlyStopping;
    const paper = { patience, semantics, labels: site.labels, title: experiment.title, key: experiment.info.stem, epochOffset: epochNumbering(experiment.history.format).offset };
    const expected: Record<string, string> = {
      "figure.svg": `<?xml version="1.0" encoding="UTF-8"?>\n${exportFigureSvg(figure, figureThemes.light)}`,
      "figure-dark.svg": `<?xml version="1.0" encoding="UTF-8"?>\n${exportFigureSvg(figure, figureThemes.dark)}`,
      "early-stopping.csv": formatStopTable(experiment.stops.rows, "csv"),
      "early-stopping.tex": formatPaperTable(experiment.stops.rows, "latex", paper),
      "early-stopping.md": formatPaperTable(experiment.stops.rows, "markdown", paper),
    };
    const { page, errors } = await served.open(`${served.url}experiments/${agSlug}/`);
    const buttons = page.locator("p.downloads button[data-download]");
    await expect(buttons.evaluateAll((bs) => bs.map((b) => (b as HTMLButtonElement).dataset["download"]))).resolves.toEqual(Object.keys(expected));
    const saved: Record<string, string> = {};
    for (const [name, body] of Object.entries(expected)) {
      const [download] = await Promise.all([page.waitForEvent("download"), page.locator(`p.downloads button[data-download="${name}"]`).click()]);
      expect(download.suggestedFilename()).toBe(`${stem}.${name}`);
      saved[name] = await readFile((await download.path())!, "utf8");
      expect(saved[name], name).toBe(body);
    }
    // The figure stands alone: an opaque background over the whole figure, the page's text colour written out.
    for (const [name, background] of [
      ["figure.svg", "#ffffff"],
      ["figure-dark.svg", "#111418"],
    ] as const) {
      const svg = saved[name]!;
      expect(svg).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg color="#[0-9a-f]{6}" style="[^"]*" xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="runsite-figure"/);
      expect(svg).toContain(`<rect class="runsite-background" x="0" y="0" width="960" height="`);
      expect(svg).toContain(`fill="${background}"/>`);
      expect(svg).not.toContain("currentColor");
    }
    // It draws the picture the build drew: both rasterised by Chromium, pixel for pixel
    // (the page rounds coordinates to hundredths of a pixel, which may shift antialiasing, nothing more).
    const differing = await page.evaluate(
      async ([a, b]) => {
        const pixels = async (svg: string) => {
          const image = new Image();
          image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
          await image.decode();
          const canvas = document.createElement("canvas");
          [canvas.width, canvas.height] = [image.naturalWidth, image.naturalHeight];
          const context = canvas.getContext("2d")!;
          context.drawImage(image, 0, 0);
          return { size: [canvas.width, canvas.height], data: context.getImageData(0, 0, canvas.width, canvas.height).data };
        };
        const [x, y] = [await pixels(a!), await pixels(b!)];
        if (x.size.join() !== y.size.join()) return { size: [x.size, y.size], count: -1, total: 0 };
        let count = 0;
        for (let i = 0; i < x.data.length; i += 4) {
          if ([0, 1, 2, 3].some((c) => Math.abs(x.data[i + c]! - y.data[i + c]!) > 64)) count++;
        }
        return { size: [x.size, y.size], count, total: x.data.length / 4 };
      },
      [exportFigureSvg(built, figureThemes.light), saved["figure.svg"]!.replace(/^<\?xml[^>]*>\n/, "")],
    );
    expect(differing.size[0]).toEqual([960, 530]);
    expect(differing.count).toBeGreaterThanOrEqual(0);
    expect(differing.count / differing.total).toBeLessThan(0.0005);
    // What the page says, the files say: Keras' epoch 10 and 7 (CSV rows 9 and 6) for val_loss at patience 3.
    expect(expected["early-stopping.csv"]).toMatch(/^val_loss,loss,validation,min,0\.005,3,stops,10,9,7,6,/m);
    expect(expected["figure.svg"]).toContain("val_loss: EarlyStopping stops after epoch 10 (CSV row epoch 9), restores epoch 7 (CSV row epoch 6)");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("without JavaScript the buttons are hidden and the page says where the data are; history.json stays a link", async () => {
    const { page } = await served.open(`${served.url}experiments/${agSlug}/`, { javaScriptEnabled: false });
    await expect(page.locator("p.downloads button").first().isVisible()).resolves.toBe(false);
    await expect(page.locator("p.downloads").innerText()).resolves.toContain("the data are in history.json and the original file");
    const href = await page.locator("p.downloads a[data-history]").getAttribute("href");
    const json = JSON.parse(await (await page.request.get(new URL(href!, page.url()).href)).text());
    expect(json.version).toBe(2);
    await page.context().close();
  });
});
