import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { csvFormatRows, dsvFormat } from "d3-dsv";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/core/diagnostics.ts";
import type { Format, History } from "../../src/core/history.ts";
import { parseHistory } from "../../src/core/load.ts";
import { fixturePath } from "../support/fixtures.ts";

const folders: Record<string, Format | null> = {
  keras_csvlogger: "keras",
  lightning_metrics: "lightning",
  ultralytics_results: "ultralytics",
  hf_trainer_state: "huggingface",
  fastai_history: "fastai",
  tensorboard_events: "tensorboard",
  other: null,
};
// The three files runsite could not read before the format registry (issue 13).
const others: Record<string, Format> = {
  "detectron2_metrics_jsonl.json": "jsonl",
  "simpletransformers_progress.csv": "simpletransformers",
  "yolov7_results_headerless.txt": "yolo-txt",
};
const read = (name: string) => new Uint8Array(readFileSync(fixturePath(`corpus/${name}`)));
const load = (name: string) => parseHistory(read(name), name);
const get = (h: History | null, name: string, attempt = 0) => {
  const s = h?.series.find((s) => s.name === name && s.attempt === attempt);
  if (!s) throw new Error(`no ${name}#${attempt}`);
  return s;
};

describe("parseHistory on every corpus file", () => {
  for (const [folder, folderFormat] of Object.entries(folders)) {
    for (const name of readdirSync(fixturePath(`corpus/${folder}`))) {
      const file = `${folder}/${name}`;
      const format = folder === "other" ? others[name]! : folderFormat;
      it(`parseHistory(${file}) detects ${format ?? "no format"} by content`, () => {
        const result = load(file);
        expect(result.format).toBe(format);
        if (format === null) {
          expect(result.history).toBeNull();
          expect(result.diagnostics.filter((d) => d.fatal).length).toBeGreaterThan(0);
          for (const d of result.diagnostics) expect(d.line).toBeGreaterThanOrEqual(1);
        } else {
          expect(result.history).not.toBeNull();
          expect(result.diagnostics.filter((d) => d.fatal)).toEqual([]);
        }
      });
    }
  }
});

// Values read by hand from the files (first and last data rows).
describe("parseHistory on the Keras corpus: names, lengths and values", () => {
  it("brats2020_dice_lr.log: 24 epochs, lr from 0.001 down to 1e-06 as a schedule", () => {
    const { history, diagnostics } = load("keras_csvlogger/brats2020_dice_lr.log");
    expect(diagnostics).toEqual([]);
    expect(history!.series).toHaveLength(11);
    expect(get(history, "lr")).toMatchObject({ role: "schedule" });
    expect([get(history, "lr").y[0], get(history, "lr").y[23]]).toEqual([0.001, 1e-6]);
    expect(get(history, "val_dice_coef").y[23]).toBe(0.4435175359249115);
  });
  it("covid19seg_dice_lr.csv: a short first value is read as written", () => {
    const { history } = load("keras_csvlogger/covid19seg_dice_lr.csv");
    expect(get(history, "dice_coef").y[0]).toBe(0.606925);
    expect(get(history, "lr").y[19]).toBe(1e-5);
    expect(get(history, "loss").x).toHaveLength(20);
  });
  it("mslesion_dice_iou.csv: 79 epochs of custom dice/iou metrics", () => {
    const { history } = load("keras_csvlogger/mslesion_dice_iou.csv");
    expect(get(history, "val_iou_score").x).toHaveLength(79);
    expect(get(history, "val_iou_score")).toMatchObject({ metric: "iou_score", split: "validation" });
    expect(get(history, "val_loss").y[78]).toBe(0.9007343649864197);
  });
  it("heartnet_acc.csv and voiceid_17digit.log: 17-digit floats keep every digit", () => {
    expect(get(load("keras_csvlogger/heartnet_acc.csv").history, "acc").y[249]).toBe(0.55389484797557598);
    const voice = load("keras_csvlogger/voiceid_17digit.log").history;
    expect(get(voice, "loss").y[0]).toBe(4.8825876811019846);
    expect(get(voice, "val_acc").x).toHaveLength(50);
  });
  it("colorizer_noval.csv: 249 rows, epoch 244 skipped, no validation series", () => {
    const { history, diagnostics } = load("keras_csvlogger/colorizer_noval.csv");
    expect(diagnostics).toEqual([]);
    const acc = get(history, "accuracy");
    expect(acc.x).toHaveLength(249);
    expect(acc.x).not.toContain(244);
    expect(acc.x.at(-1)).toBe(249);
    expect(history!.series.some((s) => s.split === "validation")).toBe(false);
  });
  it("roadnet_multioutput.csv: 67 columns, a first training and 6 appended ones (one of a single epoch)", () => {
    const { history } = load("keras_csvlogger/roadnet_multioutput.csv");
    expect(history!.columns).toHaveLength(67);
    expect(history!.attempts.map((a) => [a.line, a.lastEpoch])).toEqual([
      [2, 36],
      [39, 35],
      [75, 35],
      [111, 15],
      [127, 0],
      [128, 23],
      [152, 30],
    ]);
    expect(history!.attempts.reduce((n, a) => n + a.rows, 0)).toBe(181);
    expect(get(history, "edge_final_output_loss").y[0]).toBe(0.2401241809129715);
  });
  it("dcblstm_manymetrics.log: counts written as floats are numbers", () => {
    const { history } = load("keras_csvlogger/dcblstm_manymetrics.log");
    expect(history!.columns).toHaveLength(25);
    expect(get(history, "false_negatives").y[0]).toBe(860240);
    expect(get(history, "false_negatives").y[99]).toBe(394479);
  });
  it("regression_mae_bigloss.csv: 1e8-scale losses", () => {
    const { history } = load("keras_csvlogger/regression_mae_bigloss.csv");
    expect(get(history, "loss").y[0]).toBe(167504288);
    expect(get(history, "val_mae").y[57]).toBe(2752.73193359375);
  });
  it("braintumor_seg_16cols.log: learning_rate is a schedule with float32 reprs", () => {
    const { history } = load("keras_csvlogger/braintumor_seg_16cols.log");
    expect(history!.columns).toHaveLength(16);
    expect(get(history, "learning_rate")).toMatchObject({ role: "schedule" });
    expect(get(history, "learning_rate").y[34]).toBe(9.999999974752427e-7);
  });
  it("irfanet_restart_append.log: a 26-epoch training, then a 200-epoch one", () => {
    const { history } = load("keras_csvlogger/irfanet_restart_append.log");
    expect(history!.attempts.map((a) => [a.firstEpoch, a.lastEpoch, a.rows, a.line])).toEqual([
      [0, 25, 26, 2],
      [0, 199, 200, 28],
    ]);
    expect(get(history, "val_loss", 1).y[199]).toBe(0.678651259523);
  });
  it("zeiss_semicolon_noval_rows.csv: rows without validation are read as training-only, with one warning per run", () => {
    const { history, diagnostics } = load("keras_csvlogger/zeiss_semicolon_noval_rows.csv");
    const narrow = diagnostics.filter((d) => d.ruleId === "training-only-row");
    expect(narrow.length).toBeGreaterThan(0);
    expect(formatDiagnostic(narrow[0]!)).toMatch(
      /^keras_csvlogger\/zeiss_semicolon_noval_rows\.csv:\d+: warning: row has only the training columns \(epoch, loss\); validation read as missing \(\d+ rows, lines \d+–\d+\) \(expected 3 fields, got 2\)$/,
    );
    expect(diagnostics.filter((d) => d.ruleId !== "training-only-row")).toEqual([]);
    expect(history!.attempts.reduce((n, a) => n + a.rows, 0)).toBe(1179);
    const last = history!.attempts.at(-1)!;
    expect(get(history, "loss", last.index).y.at(-1)).toBe(0.0005261134915053845);
    expect(get(history, "val_loss", last.index).y.at(-1)).toBeNull();
  });
});

describe("parseHistory round trip", () => {
  it("parseHistory(formatted Keras CSV) returns the generated values, epochs and names", () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/).filter((n) => n !== "epoch");
    const value = fc.oneof(fc.double({ noNaN: false }), fc.constant(null));
    fc.assert(
      fc.property(
        fc.uniqueArray(name, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 30 }),
        fc.constantFrom(",", ";", "\t"),
        fc.constantFrom("\n", "\r\n"),
        fc.infiniteStream(value),
        (names, epochs, separator, newline, values) => {
          const columns = ["epoch", ...[...names].sort()];
          const it = values[Symbol.iterator]();
          const rows = Array.from({ length: epochs }, (_, e) => [e, ...names.map(() => it.next().value as number | null)]);
          const cell = (v: number | null) => (v === null ? "" : Number.isNaN(v) ? "nan" : v === Infinity ? "inf" : v === -Infinity ? "-inf" : String(v));
          const format = separator === "," ? csvFormatRows : dsvFormat(separator).formatRows;
          const text =
            format([columns, ...rows.map((r) => r.map((v) => cell(v as number | null)))])
              .split("\n")
              .join(newline) + newline;
          const { history, diagnostics } = parseHistory(new TextEncoder().encode(text), "gen.csv", "keras");
          expect(diagnostics).toEqual([]);
          columns.slice(1).forEach((column, c) => {
            const s = get(history, column);
            expect(s.x).toEqual(rows.map((r) => r[0]));
            expect(s.y).toEqual(rows.map((r) => (Object.is(r[c + 1], -0) ? 0 : r[c + 1])));
          });
        },
      ),
      { seed: 2021, numRuns: 300 },
    );
  });
  it("parseHistory(bytes) never throws on arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.constantFrom("a.csv", "trainer_state.json", "events.out.tfevents.1", "metrics.csv"), (bytes, name) => {
        const { history, diagnostics } = parseHistory(bytes, name);
        expect(history !== null || diagnostics.some((d) => d.fatal)).toBe(true);
      }),
      { seed: 3, numRuns: 500 },
    );
  });
  it("parseHistory(invalid UTF-8) reads the file and warns once with the line", () => {
    const bytes = new Uint8Array([...new TextEncoder().encode("epoch,loss\n0,0.5\n1,0.4 "), 0xff, 0x0a]);
    const { history, diagnostics } = parseHistory(bytes, "latin.csv");
    expect(history).not.toBeNull();
    expect(diagnostics.map(formatDiagnostic)[0]).toBe(
      "latin.csv:3: warning: text is not valid UTF-8; invalid bytes replaced by U+FFFD (expected UTF-8 text, got invalid byte sequence)",
    );
  });
});
