import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { epochNumbering, stopWords } from "../../src/core/earlyStopping.ts";
import { generatedDownloads } from "../../src/core/generatedDownloads.ts";
import { stopRows, type InspectDocument } from "../../src/core/inspect.ts";
import { buildSample, runCli, tempDir } from "../support/cli.ts";
import { fixturePath, repoRoot } from "../support/fixtures.ts";

async function sampleRuns(dir = path.join(repoRoot, "runs")): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".csv"))
    .map((e) => path.relative(path.join(repoRoot, "runs"), path.join(e.parentPath, e.name)))
    .sort();
}

describe("runsite inspect and the built pages agree", () => {
  let site: string;
  let runs: string[];
  beforeAll(async () => {
    // The sample's config (min_delta 0.005), as `runsite inspect` reads it in the repository.
    site = (await buildSample()).dist;
    runs = await sampleRuns();
  });

  it("runsite inspect FILE --json prints the document: series with epochs as in the file, early stopping, diagnostics", async () => {
    const file = path.join(repoRoot, "runs/2021-03-12/unet_2d_mdice_ag/fat_768x384x1/unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20.csv");
    const { code, stdout } = await runCli(["inspect", file, "--json", "--patience", "3", "--content", path.join(repoRoot, "content")], repoRoot);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as InspectDocument;
    expect(doc.format).toBe("keras");
    expect(doc.series.find((s) => s.name === "val_loss")).toMatchObject({ metric: "loss", split: "validation", axis: "epoch", x: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
    // Read with the repository's runsite.config.json (the sample's min_delta 0.005); the replay is stored once per series.
    expect(doc.version).toBe(2);
    expect(doc.earlyStopping).toMatchObject({ minDelta: 0.005, semantics: "keras3", patience: [3] });
    const row = stopRows(doc).find((r) => r.series === "val_loss")!;
    expect(row).toMatchObject({ mode: "min", minDelta: 0.005, patience: 3, stoppedEpoch: 9, restoredEpoch: 6 });
    expect(stopWords(row, row.numbering)).toBe("stops after epoch 10 (CSV row epoch 9), restores epoch 7 (CSV row epoch 6)");
    expect(doc.diagnostics).toEqual([]);
  });

  it("runsite inspect --json writes non-finite values as strings and missing ones as null", async () => {
    const cwd = await tempDir();
    const { writeFile } = await import("node:fs/promises");
    await writeFile(path.join(cwd, "h.csv"), "epoch,loss,val_loss\r\n0,nan,\r\n1,inf,0.5\r\n2,-inf,0.4\r\n");
    const { stdout } = await runCli(["inspect", "h.csv", "--json"], cwd);
    const doc = JSON.parse(stdout) as InspectDocument;
    expect(doc.series.find((s) => s.name === "loss")!.y).toEqual(["NaN", "Infinity", "-Infinity"]);
    expect(doc.series.find((s) => s.name === "val_loss")!.y).toEqual([null, 0.5, 0.4]);
  });

  it("for every sample run, the page's early-stopping table and its history.json say what runsite inspect --json says", async () => {
    expect(runs).toHaveLength(11);
    for (const run of runs) {
      const slug = run.replace(/\.csv$/, "");
      const { stdout } = await runCli(["inspect", path.join(repoRoot, "runs", run), "--json", "--content", path.join(repoRoot, "content")], repoRoot);
      const cli = JSON.parse(stdout) as InspectDocument;
      const download = JSON.parse(await readFile(path.join(site, "downloads", slug, "history.json"), "utf8")) as InspectDocument;
      expect(download.earlyStopping, run).toEqual(cli.earlyStopping);
      expect(download.paper?.key, run).toBe(slug.split("/").pop());
      expect(
        download.series.map((s) => [s.name, s.y]),
        run,
      ).toEqual(cli.series.map((s) => [s.name, s.y]));
      const html = await readFile(path.join(site, "experiments", slug, "index.html"), "utf8");
      // The table as read: a column per patience, each cell "never" or "after N", N as Keras prints it (the CSV row's epoch + 1, as the note says).
      const patiences = [...html.matchAll(/<th[^>]*scope="col">patience (\d+)<\/th>/g)].map(([, p]) => Number(p));
      const cells = [...html.matchAll(/<tr data-series="([^"]+)">(.*?)<\/tr>/gs)].flatMap(([, series, row]) =>
        [...row!.matchAll(/<td(?: class="default")?>(?:<span class="never">never<\/span>|after (\d+),)/g)].map(([, shown], i) => [
          series,
          patiences[i],
          shown === undefined ? null : Number(shown) - epochNumbering(cli.format).offset,
        ]),
      );
      const rows = stopRows(cli);
      expect(cells.length, run).toBe(rows.length);
      expect(cells.sort(), run).toEqual(rows.map((r) => [r.series, r.patience, r.stoppedEpoch]).sort());
    }
  }, 240_000);

  it("the downloads made from history.json (as the browser makes them): early-stopping CSV (every patience, numeric columns numeric), the paper table in LaTeX and Markdown", async () => {
    const slug = "2021-03-12/unet_2d_mdice_ag/fat_768x384x1/unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20";
    const doc = JSON.parse(await readFile(path.join(site, "downloads", slug, "history.json"), "utf8")) as InspectDocument;
    const make = (name: string) => {
      const download = generatedDownloads.find((d) => d.name === name)!;
      if (download.needs !== "stops") throw new Error(`${name} is made from the figure`);
      return download.make(doc);
    };
    const csv = make("early-stopping.csv");
    expect(csv.split("\n")[0]).toMatch(/^series,metric,split,mode,min_delta,patience,status,stop_epoch,stop_epoch0,restored_epoch,restored_epoch0,restored_value/);
    // Keras printed "Epoch 10: early stopping" and restored epoch 7: CSV rows 9 and 6.
    expect(csv).toMatch(/^val_loss,loss,validation,min,0\.005,3,stops,10,9,7,6,0\.0047819392/m);
    // Numeric columns stay numeric: a stop that never happens is an empty cell and a status.
    expect(csv).not.toMatch(/,never,/);
    expect(csv).toMatch(/^val_loss,loss,validation,min,0\.005,10,never stops,,,7,6,/m);
    const tex = make("early-stopping.tex");
    expect(tex).toContain("\\toprule");
    expect(tex).toContain("\\caption{Early stopping replayed on Attention U-Net, AdaDelta, Fat MRI 768\\texttimes{}384");
    expect(tex).toContain(`\\label{tab:early-stopping:unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20}`);
    // val_loss at the figure's patience 3: stops after Keras' epoch 10, restores epoch 7 (CSV epochs 9 and 6).
    expect(tex).toMatch(/Multilabel Balanced Dice Loss \$\\downarrow\$ & 10 & 7 & 0\.004782 &/);
    const md = make("early-stopping.md");
    expect(md).toMatch(/^\| Multilabel Balanced Dice Loss ↓ \| 10 \| 7 \| 0\.004782 \|/m);
    // The site stores none of them (nor the figure twice): they are made in the browser (tests/e2e/downloads.test.ts).
    await expect(readdir(path.join(site, "downloads", slug))).resolves.toEqual(["history.json"]);
  });
});

describe("runsite inspect on a run folder", () => {
  it("runsite inspect MLFLOW_RUN_FOLDER --json reads the run's metrics, nested names included", async () => {
    const folder = fixturePath("formats/mlflow/dan-irl-mlflow-testing/mlflow/596793538227028894/2131d384168c44b4ad18ca0899fcd51d");
    const { code, stdout, stderr } = await runCli(["inspect", folder, "--json"], await tempDir());
    expect(code, stderr).toBe(0);
    const doc = JSON.parse(stdout) as InspectDocument;
    expect(doc.format).toBe("mlflow");
    expect(doc.series.map((s) => s.name)).toContain("train/box_loss");
    expect(doc.series.find((s) => s.name === "train/box_loss")).toMatchObject({ axis: "step", x: [0, 1, 2, 3, 4] });
    expect(doc.series.find((s) => s.name === "train/box_loss")!.y[0]).toBe(1.80356);
  });
  it("runsite inspect TENSORBOARD_FOLDER reads the folder's event files as one run", async () => {
    const folder = fixturePath("corpus/tensorboard_events");
    const { code, stdout, stderr } = await runCli(["inspect", folder], await tempDir());
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/tensorboard_events: tensorboard, \d+ series, 1 attempt\(s\)/);
  });
  it("runsite inspect W&B_EXPORT.csv shows the first run and names the others", async () => {
    const { code, stdout, stderr } = await runCli(["inspect", fixturePath("formats/wandb-export/snet-analysis_train-ablation-test.csv")], await tempDir());
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/: 4 runs in this file \(deep-forest-35, misunderstood-river-34, [^)]+\); showing deep-forest-35$/m);
    expect(stdout).toMatch(/: wandb-export, 1 series, 1 attempt\(s\)/);
  });
  it("runsite inspect FOLDER with several runs says so instead of failing with EISDIR", async () => {
    const { code, stderr } = await runCli(["inspect", fixturePath("formats/simpletransformers")], await tempDir());
    expect(code).not.toBe(0);
    expect(stderr).toContain("holds 3 runs");
    expect(stderr).not.toContain("EISDIR");
  });
});
