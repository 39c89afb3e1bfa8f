import { chmod, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readSources, scanRuns } from "../../src/io/scan.ts";
import { tempDir } from "../support/cli.ts";

const history = "epoch,loss\n0,0.5\n";

async function tree(files: Record<string, string>): Promise<string> {
  const root = await tempDir("runsite-scan-");
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), text);
  }
  return root;
}

describe("scanRuns", () => {
  it("scanRuns(root) lists history files by extension, sorted, skipping hidden folders and other files", async () => {
    const root = await tree({
      "b/run.csv": history,
      "a/run.LOG": history,
      "a/notes.md": "x",
      ".git/x.csv": history,
      "c/trainer_state.json": "{}",
      "c/events.out.tfevents.1.host": "",
    });
    const found = await scanRuns(root, [".csv", ".log"]);
    expect(found.map((f) => f.file)).toEqual(["a/run.LOG", "b/run.csv", "c/events.out.tfevents.1.host", "c/trainer_state.json"]);
  });
  it("scanRuns(root) reports symbolic links instead of following them, even a loop or one leaving the root", async () => {
    const outside = await tree({ "secret.csv": history });
    const root = await tree({ "a/run.csv": history });
    await symlink(path.join(outside, "secret.csv"), path.join(root, "a/linked.csv"));
    await symlink(root, path.join(root, "a/loop"));
    const found = await scanRuns(root, [".csv"]);
    expect(found.map((f) => [f.file, f.problem?.replace(/\(points to [^)]*\)/, "(points to …)")])).toEqual([
      ["a/linked.csv", "symbolic link not followed (points to …); link the files into the archive as copies, or point --runs at the target"],
      ["a/loop", "symbolic link not followed (points to …); link the files into the archive as copies, or point --runs at the target"],
      ["a/run.csv", undefined],
    ]);
  });
  it("scanRuns(root) finds files by the names tools write, and every file of an MLflow run folder but its artifacts", async () => {
    const root = await tree({
      "mlruns/1/abc/meta.yaml": "run_id: abc\n",
      "mlruns/1/abc/metrics/train/loss": "1700000000000 0.5 0\n",
      "mlruns/1/abc/params/lr": "0.1",
      "mlruns/1/abc/tags/mlflow.runName": "sgd",
      "mlruns/1/abc/artifacts/results.csv": history,
      "mlruns/1/meta.yaml": "name: exp\n",
      "yolo/runs/train/exp/results.txt": "",
      "yolo/runs/train/exp/weights/best.pt": "",
      "d2/output/metrics.json": "",
      "d2/output/config.json": "{}",
      "mm/20230805/vis_data/scalars.json": "",
      "mm/20230805/vis_data/20230805_113504.json": "",
      "ludwig/training_statistics.json": "",
      "hf/out/all_results.json": "",
      "u/runs/detect/t/args.yaml": "",
      "nn/fold_0/training_log_2021_4_29_01_44_41.txt": "",
      "nn/fold_0/debug.txt": "",
      "k/history.json": "",
      "w/wandb/run-1/files/wandb-history.jsonl": "",
    });
    expect((await scanRuns(root, [".csv"])).map((f) => f.file)).toEqual([
      "d2/output/metrics.json",
      "hf/out/all_results.json",
      "k/history.json",
      "ludwig/training_statistics.json",
      "mlruns/1/abc/meta.yaml",
      "mlruns/1/abc/metrics/train/loss",
      "mlruns/1/abc/params/lr",
      "mlruns/1/abc/tags/mlflow.runName",
      "mm/20230805/vis_data/20230805_113504.json",
      "mm/20230805/vis_data/scalars.json",
      "nn/fold_0/training_log_2021_4_29_01_44_41.txt",
      "u/runs/detect/t/args.yaml",
      "w/wandb/run-1/files/wandb-history.jsonl",
      "yolo/runs/train/exp/results.txt",
    ]);
  });
  it("scanRuns(missing folder) throws: a usage error, not a data problem", async () => {
    await expect(scanRuns("/no/such/folder", [".csv"])).rejects.toThrow("runs folder not found: /no/such/folder");
  });
  it("scanRuns(empty root) finds nothing", async () => {
    expect(await scanRuns(await tree({}), [".csv"])).toEqual([]);
  });
  it("scanRuns(a folder named like a CSV) walks into it", async () => {
    const root = await tree({ "odd.csv/inner.csv": history });
    expect((await scanRuns(root, [".csv"])).map((f) => f.file)).toEqual(["odd.csv/inner.csv"]);
  });
});

describe("readSources", () => {
  it("readSources(files) keeps a reason for a file deleted after the scan, and reads the rest", async () => {
    const root = await tree({ "a.csv": history, "b.csv": history });
    const found = await scanRuns(root, [".csv"]);
    await rm(path.join(root, "a.csv"));
    const sources = await readSources(found);
    expect(sources.map((s) => [s.file, s.bytes?.length ?? null, s.error])).toEqual([
      ["a.csv", null, "file could not be read: it no longer exists (deleted after the scan?)"],
      ["b.csv", history.length, undefined],
    ]);
  });
  it("readSources(files, {maxBytes}) refuses a file over the limit without reading it", async () => {
    const root = await tree({ "big.csv": history.repeat(1000) });
    const [source] = await readSources(await scanRuns(root, [".csv"]), { maxBytes: 1024 });
    expect(source).toEqual({ file: "big.csv", bytes: null, error: "file is 0.016 MiB, larger than the limit of 0.001 MiB (raise maxFileSize in the config to read it)" });
  });
  it.skipIf(process.getuid?.() === 0)("readSources(unreadable file) says permission denied (root reads everything, so this runs as a normal user only)", async () => {
    const root = await tree({ "locked.csv": history });
    await chmod(path.join(root, "locked.csv"), 0o000);
    const [source] = await readSources(await scanRuns(root, [".csv"]));
    expect(source!.error).toBe("file could not be read: permission denied");
  });
  it("readSources(files) reads many files with bounded concurrency, in order", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 200; i++) files[`r${String(i).padStart(3, "0")}.csv`] = `epoch,loss\n0,${i}\n`;
    const sources = await readSources(await scanRuns(await tree(files), [".csv"]), { concurrency: 4 });
    expect(sources.map((s) => new TextDecoder().decode(s.bytes!).split("\n")[1])).toEqual(Array.from({ length: 200 }, (_, i) => `0,${i}`));
  });
});
