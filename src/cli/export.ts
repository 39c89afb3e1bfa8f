import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Experiment } from "../core/archive.ts";
import { exportFigureSvg, figureThemes } from "../core/figureExport.ts";
import { loadSite } from "../io/loadSite.ts";
import { loadConfig } from "./build.ts";
import { CliError, exitCodes } from "./errors.ts";
import type { CliValues } from "./main.ts";

/**
 * `runsite export --pdf [RUN…]`: each chosen experiment's figure as a vector
 * PDF, for a paper: the figure's SVG (with its opaque background, `--dark`
 * for the dark one) printed by Chromium through Playwright (`page.pdf`), one
 * page the size of the figure. Runs are named by their history file (a path
 * relative to the working folder or to the runs folder) or their page's slug;
 * none means every experiment. Needs Playwright and a Chromium
 * (`CHROMIUM_PATH`, else Debian's /usr/bin/chromium, else Playwright's own):
 * not part of `runsite build`.
 */
export async function exportCommand(runs: readonly string[], values: CliValues): Promise<number> {
  if (!values.pdf) throw new CliError("export: nothing to export (expected --pdf)");
  const cwd = process.cwd();
  const config = await loadConfig(cwd, values);
  const site = await loadSite(config, cwd);
  const chosen = runs.length === 0 ? site.archive.experiments : runs.map((run) => findExperiment(run, site.archive.experiments, config.runs, cwd));
  const playwright = await import("playwright").catch(() => null);
  if (playwright === null) {
    throw new CliError(
      "export --pdf needs Playwright and Chromium: npm install playwright, then apt-get install chromium (or npx playwright install chromium)",
      exitCodes.problems,
    );
  }
  const candidate = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const browser = await playwright.chromium
    .launch({ ...(existsSync(candidate) ? { executablePath: candidate } : {}), args: isRoot ? ["--no-sandbox"] : [] })
    .catch((error: Error) => {
      throw new CliError(
        `export --pdf could not start Chromium (${error.message.split("\n")[0]}); install it (apt-get install chromium, or npx playwright install chromium) or set CHROMIUM_PATH`,
        exitCodes.problems,
      );
    });
  const out = path.resolve(cwd, values.out ?? "figures");
  const theme = values.dark ? figureThemes.dark : figureThemes.light;
  try {
    const page = await browser.newPage();
    for (const experiment of chosen) {
      site.wantFigure(experiment.info.slug);
      const svg = exportFigureSvg(await readFile(await site.figures.get(experiment.info.slug)!, "utf8"), theme);
      const [width, height] = figureSize(svg);
      // One page exactly the figure's size, no margins: the PDF is the figure, in vectors.
      await page.setContent(
        `<!doctype html><html><head><style>@page{size:${width}px ${height}px;margin:0}html,body{margin:0}svg{display:block}</style></head><body>${svg}</body></html>`,
      );
      const file = path.join(out, `${experiment.info.slug}${values.dark ? "-dark" : ""}.pdf`);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, await page.pdf({ width: `${width}px`, height: `${height}px`, printBackground: true, pageRanges: "1" }));
      console.log(path.relative(cwd, file));
    }
  } finally {
    await browser.close();
  }
  return exitCodes.ok;
}

function findExperiment(run: string, experiments: readonly Experiment[], runsRoot: string, cwd: string): Experiment {
  const relative = path.relative(runsRoot, path.resolve(cwd, run)).split(path.sep).join("/");
  const found = experiments.find((e) => e.info.slug === run || e.info.file === run || e.info.file === relative || e.sources.includes(relative));
  if (found === undefined)
    throw new CliError(`export: no experiment ${JSON.stringify(run)} (expected a history file or a page's slug, e.g. ${experiments[0]?.info.slug ?? "2021-03-02/…"})`);
  return found;
}

/** The figure's width and height in CSS pixels, from its root element. */
function figureSize(svg: string): [number, number] {
  const root = /<svg\b[^>]*>/.exec(svg)![0];
  const width = Number(/\swidth="([\d.]+)"/.exec(root)?.[1] ?? 960);
  const height = Number(/\sheight="([\d.]+)"/.exec(root)?.[1] ?? 540);
  return [Math.ceil(width), Math.ceil(height)];
}
