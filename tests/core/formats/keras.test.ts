import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { csvParse } from "d3-dsv";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../../src/core/diagnostics.ts";
import { parseKeras } from "../../../src/core/formats/keras.ts";
import type { History } from "../../../src/core/history.ts";
import { readFixture, repoRoot } from "../../support/fixtures.ts";

const corpus = (name: string) => parseKeras(readFixture(`corpus/keras_csvlogger/${name}`), name);
const series = (history: History | null, name: string, attempt = 0) => {
  const s = history?.series.find((s) => s.name === name && s.attempt === attempt);
  if (s === undefined) throw new Error(`no series ${name}#${attempt}`);
  return s;
};

function listCsv(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listCsv(full) : name.endsWith(".csv") ? [full] : [];
  });
}

describe("parseKeras on the sample archive", () => {
  const files = listCsv(path.join(repoRoot, "runs"));
  it("finds the 11 sample runs", () => expect(files).toHaveLength(11));
  for (const file of files) {
    it(`parseKeras(${path.basename(file)}) reads every cell exactly, with no diagnostics`, () => {
      const text = readFileSync(file, "utf8");
      const { history, diagnostics } = parseKeras(text, file);
      expect(diagnostics).toEqual([]);
      // d3-dsv's own reading of the same file is the reference for every cell.
      const rows = csvParse(text.replace(/\r\n/g, "\n"));
      expect(history!.attempts).toHaveLength(1);
      expect(history!.series).toHaveLength(rows.columns.length - 1);
      for (const s of history!.series) {
        expect(s.x).toEqual(rows.map((r) => Number(r["epoch"])));
        expect(s.y).toEqual(rows.map((r) => Number(r[s.name])));
      }
    });
  }
  it("parseKeras(2021-03-10 Adam) reads lr as a schedule and val_loss as validation loss", () => {
    const file = path.join(repoRoot, "runs/2021-03-10/unet_2d_mdice/fat_768x384x1/unet_2d_mdice_Adam_fat_768x384x1_N204_E24_L4_FBL24.csv");
    const { history } = parseKeras(readFileSync(file, "utf8"), "adam.csv");
    expect(series(history, "lr")).toMatchObject({ role: "schedule", metric: "lr", split: "train" });
    expect(series(history, "val_loss")).toMatchObject({ role: "metric", metric: "loss", split: "validation", axis: "epoch" });
    expect(series(history, "val_loss").x.slice(0, 3)).toEqual([0, 1, 2]);
    expect(series(history, "val_loss").y[0]).toBe(0.2497440728486753);
    expect(series(history, "loss").y[1]).toBe(0.04514904349457984);
  });
});

describe("parseKeras on real files from other projects", () => {
  it("parseKeras(CR CR LF file) reads 10 epochs, not 20 rows with blanks", () => {
    const { history, diagnostics } = corpus("distracted_driver_crcrlf.csv");
    expect(diagnostics).toEqual([]);
    expect(series(history, "acc").x).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(series(history, "val_loss").y[9]).toBe(0.005544555863925737);
  });
  it("parseKeras(semicolon file) reads 150 epochs of loss and val_loss", () => {
    const { history, diagnostics } = corpus("satunet_semicolon.csv");
    expect(diagnostics).toEqual([]);
    expect(history!.columns).toEqual(["epoch", "loss", "val_loss"]);
    expect(series(history, "loss").y[0]).toBe(0.0611659082584);
    expect(series(history, "val_loss").y[149]).toBe(0.100080480799);
  });
  it("parseKeras(tab-separated file) reads old Keras acc names", () => {
    const { history, diagnostics } = corpus("facematch_tab.tsv");
    expect(diagnostics).toEqual([]);
    expect(series(history, "val_acc")).toMatchObject({ metric: "acc", split: "validation" });
    expect(series(history, "val_acc").y[0]).toBe(0.020833333333333332);
    expect(series(history, "loss").x).toHaveLength(40);
  });
  it("parseKeras(nan cells) keeps nan as NaN, never 0", () => {
    const { history, diagnostics } = corpus("ftcunet_nan_dice.csv");
    expect(diagnostics).toEqual([]);
    const dice = series(history, "dice_coefficient_t");
    expect(dice.y).toHaveLength(32);
    expect(dice.y.every((v) => Number.isNaN(v))).toBe(true);
    expect(series(history, "val_dice_coefficient_t").y[0]).toBe(0.2705968);
  });
  it("parseKeras(4 appended runs) makes one attempt per restart at epoch 0", () => {
    const { history, diagnostics } = corpus("braintumor_multirun_append.csv");
    expect(diagnostics).toEqual([]);
    expect(history!.attempts.map((a) => [a.firstEpoch, a.lastEpoch, a.rows])).toEqual([
      [0, 4, 5],
      [0, 3, 4],
      [0, 9, 10],
      [0, 4, 5],
    ]);
    expect(series(history, "learning_rate", 0)).toMatchObject({ role: "schedule" });
    expect(series(history, "learning_rate", 0).y[0]).toBe(9.999999747378752e-5);
    expect(history!.resumes).toEqual([]);
  });
  it("parseKeras(upper-case F1_score) keeps the name as written", () => {
    const { history } = corpus("catclf_uppercase_f1.log");
    expect(history!.columns[1]).toBe("F1_score");
    expect(history!.attempts.map((a) => a.rows)).toEqual([2, 48]);
    expect(series(history, "F1_score", 0).y[0]).toBe(1.0924272537231445);
  });
  it("parseKeras(every row epoch 0) reads three one-epoch trainings", () => {
    const { history } = corpus("bricks_all_epoch0.csv");
    expect(history!.attempts).toHaveLength(3);
    expect(series(history, "loss", 2).y).toEqual([14.852638951723012]);
  });
  it("parseKeras(rows wider than the header) leaves them out with one diagnostic per run of rows", () => {
    const { history, diagnostics } = corpus("wnet_semicolon_mixedcols.csv");
    expect(history!.columns).toEqual(["epoch", "loss", "val_loss"]);
    const ragged = diagnostics.filter((d) => d.ruleId === "ragged-row");
    expect(ragged.length).toBeGreaterThan(0);
    expect(formatDiagnostic(ragged[0]!)).toMatch(
      /^wnet_semicolon_mixedcols\.csv:53: warning: row has a different number of fields than the header; left out \(20 rows, lines 53–72\) \(expected 3 fields, got 7\)$/,
    );
    // Rows kept + rows reported = data rows in the file.
    const reported = ragged.reduce((n, d) => n + Number(/\((\d+) rows/.exec(d.reason)?.[1] ?? 1), 0);
    const kept = history!.attempts.reduce((n, a) => n + a.rows, 0);
    expect(kept + reported).toBe(994);
  });
});

describe("parseKeras on broken input", () => {
  it("parseKeras('') reports an empty file", () => {
    const { history, diagnostics } = parseKeras("", "empty.csv");
    expect(history).toBeNull();
    expect(diagnostics.map(formatDiagnostic)).toEqual(["empty.csv:1: file is empty (expected a header line starting with epoch, got no text)"]);
  });
  it("parseKeras(header without epoch) is fatal and names the header", () => {
    const { history, diagnostics } = parseKeras("loss,acc\n0.1,0.2\n", "x.csv");
    expect(history).toBeNull();
    expect(diagnostics.map(formatDiagnostic)).toEqual(['x.csv:1: header has no epoch column (expected a header line starting with epoch, got "loss,acc")']);
  });
  it("parseKeras(a cell that is not a number) keeps the row, marks the cell missing and names the line", () => {
    const { history, diagnostics } = parseKeras("epoch,loss\n0,0.5\n1,oops\n2,0.3\n", "x.csv");
    expect(series(history, "loss").y).toEqual([0.5, null, 0.3]);
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      'x.csv:3: warning: column "loss": value is not a number; kept as missing (expected a number, nan, inf or an empty cell, got "oops")',
    ]);
  });
  it("parseKeras(a truncated last line) leaves it out with a warning", () => {
    const { history, diagnostics } = parseKeras("epoch,loss,val_loss\r\n0,0.5,0.6\r\n1,0.4", "live.csv");
    expect(series(history, "loss").x).toEqual([0]);
    expect(diagnostics[0]).toMatchObject({ line: 3, ruleId: "truncated-row", fatal: false });
  });
  it("parseKeras(a resumed training) lets the later rows win and records the resume", () => {
    const text = "epoch,loss\n0,0.9\n1,0.8\n2,0.7\n3,0.6\n2,0.65\n3,0.55\n4,0.5\n";
    const { history, diagnostics } = parseKeras(text, "resume.csv");
    expect(diagnostics).toEqual([]);
    expect(history!.attempts).toHaveLength(1);
    expect(history!.resumes).toEqual([{ attempt: 0, epoch: 2, line: 6 }]);
    expect(series(history, "loss")).toMatchObject({ x: [0, 1, 2, 3, 4], y: [0.9, 0.8, 0.65, 0.55, 0.5] });
  });
  it("parseKeras(a header of a million columns) reads it without crashing", () => {
    const names = Array.from({ length: 1_000_000 }, (_, i) => `m${i}`);
    const text = `epoch,${names.join(",")}\n0,${names.map(() => "0.5").join(",")}\n`;
    const { history, diagnostics } = parseKeras(text, "wide.csv");
    expect(diagnostics).toEqual([]);
    expect(history!.series).toHaveLength(1_000_000);
    expect(history!.series.at(-1)).toMatchObject({ name: "m999999", y: [0.5] });
  });
  it("parseKeras(a 10 MB single line) reports a header without epoch, quoting only its start", () => {
    const { history, diagnostics } = parseKeras("x".repeat(10 * 2 ** 20), "line.csv");
    expect(history).toBeNull();
    expect(formatDiagnostic(diagnostics[0]!)).toBe(
      'line.csv:1: header has no epoch column (expected a header line starting with epoch, got "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…")',
    );
  });
  it("parseKeras(text) never throws on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const { history, diagnostics } = parseKeras(text, "f.csv");
        expect(history !== null || diagnostics.some((d) => d.fatal)).toBe(true);
      }),
      { seed: 7, numRuns: 1000 },
    );
  });
});
