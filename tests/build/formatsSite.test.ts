import { copyFile, cp, mkdir, readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../support/cli.ts";
import { fixturePath } from "../support/fixtures.ts";

/**
 * Where each tool writes the fixture's file (the fixtures are renamed to be
 * unique; the build must see the tool's own names and folders), and which
 * run it belongs to. `null`: the file is part of a run placed otherwise.
 */
function layout(format: string, file: string): { to: string; run: string | null } {
  const base = path.basename(file).replace(/\/$/, "");
  const stem = (suffix: RegExp) => base.replace(suffix, "");
  switch (format) {
    case "yolo-results-txt":
      return { to: `yolo/${stem(/_?results\.txt$/)}/runs/train/exp/results.txt`, run: file };
    case "simpletransformers":
      return { to: `st/${stem(/_training_progress_scores\.csv$/)}/outputs/training_progress_scores.csv`, run: file };
    case "keras-history-json":
      return { to: `keras/${stem(/\.json$/)}/history.json`, run: file };
    case "keras-history-csv":
      return { to: `keras-csv/${stem(/\.csv$/)}/history.csv`, run: file };
    case "jsonlines-detectron2":
      return { to: `detectron2/${stem(/_?metrics\.json$/)}/output/metrics.json`, run: file };
    case "jsonlines-mmdet":
      return { to: `mmdet/${stem(/\.log\.json$/)}/${base}`, run: file };
    case "jsonlines-mmengine": {
      if (base.endsWith("_scalars.json")) return { to: `mmengine/${stem(/_scalars\.json$/)}/vis_data/scalars.json`, run: file };
      // The runner's own log, <work_dir>/<timestamp>/vis_data/<timestamp>.json; test mode writes <timestamp>/<timestamp>.json.
      const ts = /(\d{8}_\d{6})/.exec(base)![1];
      return base.endsWith("_test.json")
        ? { to: `mmengine/test/${ts}/${ts}.json`, run: null }
        : { to: `mmengine/${stem(/_\d{8}_\d{6}\.json$/)}/${ts}/vis_data/${ts}.json`, run: file };
    }
    case "nnunet": {
      // v1_<project>_fold<N>_training_log_<date>.txt → <project>/nnUNetTrainerV2/fold_<N>/training_log_<date>.txt: one run per fold.
      const m = /^v\d_(.+)_fold(\d+)_(training_log_.+)$/.exec(base)!;
      return { to: `nnunet/${m[1]}/nnUNetTrainerV2__nnUNetPlansv2.1/fold_${m[2]}/${m[3]}`, run: `nnunet/${m[1]}/fold_${m[2]}` };
    }
    case "wandb-export":
      return { to: `wandb-export/${base}`, run: null };
    case "jsonlines-wandb":
      return { to: `wandb/${stem(/_?wandb-history\.jsonl$/)}/wandb-history.jsonl`, run: file };
    case "ludwig":
      return { to: `ludwig/${stem(/_?training_statistics\.json$/)}/results/experiment_run/training_statistics.json`, run: file };
    case "hf-results":
      // A trainer_state.json makes the folder's run; summaries alone are "summary only" (no page, by design).
      return { to: file, run: base === "trainer_state.json" ? file : null };
    case "mlflow":
    case "lightning-hparams":
    case "tensorboard-lightning":
    case "yolov5-run":
    case "hf-checkpoints":
      return { to: file, run: file };
    default:
      return { to: `misc/${file}`, run: file };
  }
}

/** The runs (or groups) of a W&B chart export: the `<run> - <metric>` columns, without the band columns. */
function wandbRuns(text: string): Set<string> {
  const header = text
    .slice(0, text.indexOf("\n"))
    .split('","')
    .slice(1)
    .map((f) => f.replace(/"\r?$/, ""));
  return new Set(header.filter((f) => !/__(MIN|MAX)$/.test(f)).map((f) => f.slice(0, f.lastIndexOf(" - "))));
}

const noHistory = new Set(["nnunet/v1_tbone-101_fold0_training_log_2022_4_10_10_08_37.txt", "jsonlines-mmengine/event-yolo_20230805_160636_test.json"]);
/** Run folders with no values (an event file holding only its version record): every file of it is without a page. */
const noValues = new Map([["tensorboard-lightning/TFT-Prediction/lightning_logs/version_1/", 2]]);

describe("runsite build on every format fixture, laid out as the tools write them", () => {
  let cwd: string;
  let result: Awaited<ReturnType<typeof runCli>>;
  const runs = new Set<string>();
  let summaryOnly = 0;
  beforeAll(async () => {
    cwd = await tempDir();
    const logs = path.join(cwd, "logs");
    const manifest = (await readFile(fixturePath("formats/MANIFEST.tsv"), "utf8"))
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split("\t"));
    for (const [format, file] of manifest as [string, string][]) {
      const from = fixturePath(`formats/${file}`);
      const info = await stat(from);
      // An empty wandb-history.jsonl (a run that never logged) is a real file but no run: it is an unreadable file, tested elsewhere.
      if (info.size === 0) continue;
      const { to, run } = layout(format, file);
      // Recognised logs with no training in them: no page, a warning (MANIFEST: a --validation_only run, a test-mode result).
      if (noHistory.has(file)) summaryOnly++;
      await mkdir(path.dirname(path.join(logs, to)), { recursive: true });
      if (info.isDirectory()) await cp(from, path.join(logs, to), { recursive: true });
      else await copyFile(from, path.join(logs, to));
      if (noHistory.has(file)) continue;
      if (noValues.has(file)) {
        summaryOnly += noValues.get(file)!;
        continue;
      }
      if (run !== null) runs.add(run);
      else if (format === "wandb-export") for (const name of wandbRuns(await readFile(from, "utf8"))) runs.add(`${file}/${name}`);
      else if (!(await readdir(path.dirname(from))).includes("trainer_state.json")) summaryOnly++;
    }
    // The three other/ corpus files, as their tools name them.
    for (const [name, to] of [
      ["detectron2_metrics_jsonl.json", "corpus/detectron2/output/metrics.json"],
      ["simpletransformers_progress.csv", "corpus/st/outputs/training_progress_scores.csv"],
      ["yolov7_results_headerless.txt", "corpus/yolov7/runs/train/exp/results.txt"],
    ] as const) {
      await mkdir(path.dirname(path.join(logs, to)), { recursive: true });
      await copyFile(fixturePath(`corpus/other/${name}`), path.join(logs, to));
      runs.add(name);
    }
    // An Ultralytics run with its args.yaml (from an MLflow run's artifacts).
    const artifacts = fixturePath("formats/mlflow/dan-irl-mlflow-testing/mlflow/596793538227028894/890944ee972d4dcb8524043a02d86eff/artifacts");
    await mkdir(path.join(logs, "ultralytics/runs/detect/testrun1"), { recursive: true });
    for (const name of ["results.csv", "args.yaml"]) await copyFile(path.join(artifacts, name), path.join(logs, "ultralytics/runs/detect/testrun1", name));
    runs.add("ultralytics");
    result = await runCli(["build", "--runs", "logs", "--out", "site"], cwd);
    if (process.env["KEEP_SITE"]) console.log(cwd);
  }, 600_000);

  it("runsite build writes one page per run and no fatal problem", async () => {
    expect(result.code).toBe(0);
    const summary = result.stdout.trim().split("\n").at(-1)!;
    const m = /^runsite: (\d+) files found \((\d+) read, (\d+) unreadable\), (\d+) experiments, (\d+) pages written/.exec(summary);
    expect(m, summary).not.toBeNull();
    const [found, read, unreadable, experiments, pages] = m!.slice(1).map(Number);
    expect(experiments).toBe(runs.size);
    expect(pages).toBe(runs.size);
    // Files with no page are the lone Hugging Face summaries ("summary only, no history", a warning) and the log without training.
    expect(unreadable).toBe(summaryOnly);
    expect(found).toBe(read! + unreadable!);
    const output = `${result.stdout}\n${result.stderr}`;
    const fatal = output.split("\n").filter((l) => /^[^\s:]+\/[^\s:]+(:\d+)?: /.test(l) && !/: warning: /.test(l));
    expect(fatal).toEqual([]);
  });

  it("the pages show the hyperparameters of args.yaml and MLflow params, and Hugging Face summaries beside trainer_state.json", async () => {
    const pages = (await readdir(path.join(cwd, "site/experiments"), { recursive: true })).filter((f) => f.endsWith("index.html"));
    const html = await Promise.all(pages.map((p) => readFile(path.join(cwd, "site/experiments", p), "utf8")));
    const ultra = html[pages.findIndex((p) => p.includes("ultralytics"))]!;
    expect(ultra).toContain("args.yaml");
    expect(ultra).toMatch(/<td>lr0<\/td>/);
    expect(html.some((h) => h.includes("all_results.json") && h.includes("Final metrics"))).toBe(true);
    // Three checkpoints, one page, keyed by the output folder.
    expect(pages.filter((p) => p.includes("LoRA_RoBERTa_AGNews"))).toHaveLength(1);
    const lightning = html[pages.findIndex((p) => p.includes("ml-aos/lightning_logs/version_1"))]!;
    expect(lightning).toContain("lightning_logs/version_1/hparams.yaml");
    expect(lightning).toMatch(/<td>batch_size<\/td><td>256<\/td>/);
    const mlflow = html[pages.findIndex((p) => p.includes("2131d384168c44b4ad18ca0899fcd51d"))]!;
    expect(mlflow).toMatch(/<td>epochs<\/td><td>5<\/td>/);
    expect(mlflow).toContain("Run name: <strong>sgdtest3</strong>");
  });
});
