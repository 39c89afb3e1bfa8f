import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { csvParse } from "d3-dsv";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mergeTensorBoard, parseTensorBoard } from "../../../src/core/formats/tensorboard.ts";
import { readTfRecords } from "../../../src/core/formats/tfrecord.ts";
import { corpusBytes, encodeEvent, encodeScalarTensor, encodeVersionEvent, frameRecords, seriesOf } from "./fixtures.ts";

const eventFile = "tensorboard_events/events.out.tfevents.1795846952.vm.512.0";
const sameTraining = fileURLToPath(new URL("../../../runs/2021-03-10/unet_2d_mdice/fat_768x384x1/unet_2d_mdice_AdaDelta_fat_768x384x1_N204_E24_L4_FBL24.csv", import.meta.url));

/** A small event file: the version record, then one event per step with the given scalars. */
const eventsFile = (events: [step: number, wallTime: number, values: [string, number | Uint8Array][]][]) =>
  frameRecords([encodeVersionEvent(1000), ...events.map(([step, wall, values]) => encodeEvent(step, wall, values))]);

describe("parseTensorBoard on the corpus", () => {
  it("parseTensorBoard(bytes) reads every tag as float32 of the Keras CSV of the same training", () => {
    const { history, diagnostics } = parseTensorBoard(corpusBytes(eventFile), eventFile);
    expect(diagnostics).toEqual([]);
    const rows = csvParse(readFileSync(sameTraining, "utf8"));
    const tags = rows.columns.filter((c) => c !== "epoch");
    expect(history?.columns.toSorted()).toEqual(tags.toSorted());
    expect(history?.series.filter((s) => s.role === "metric").length).toBe(10);
    for (const tag of tags) {
      const s = seriesOf(history, tag);
      expect(s.axis).toBe("step");
      expect(s.x).toEqual(rows.map((r) => Number(r["epoch"])));
      expect(s.y).toEqual(rows.map((r) => Math.fround(Number(r[tag]))));
    }
    expect(seriesOf(history, "val_sdice")).toMatchObject({ split: "validation", metric: "sdice" });
    expect(seriesOf(history, "loss")).toMatchObject({ split: "train", metric: "loss" });
    expect(seriesOf(history, "wall_time")).toMatchObject({ role: "other" });
    expect(history?.attempts).toEqual([{ index: 0, line: 0, firstEpoch: 0, lastEpoch: 23, rows: 240 }]);
  });
});

describe("parseTensorBoard on small event files", () => {
  it("parseTensorBoard(bytes) reads TF2 scalar tensors from float_val, double_val and tensor_content", () => {
    const bytes = eventsFile([
      [
        0,
        1001,
        [
          ["epoch_loss", encodeScalarTensor(1, "float_val", 0.5)],
          ["a", encodeScalarTensor(2, "double_val", 0.1)],
        ],
      ],
      [
        1,
        1002,
        [
          ["epoch_loss", encodeScalarTensor(1, "tensor_content", 0.25)],
          ["a", encodeScalarTensor(2, "tensor_content", 0.2)],
        ],
      ],
    ]);
    const { history, diagnostics } = parseTensorBoard(bytes, "e");
    expect(diagnostics).toEqual([]);
    expect(seriesOf(history, "epoch_loss")).toMatchObject({ x: [0, 1], y: [0.5, 0.25] });
    expect(seriesOf(history, "a")).toMatchObject({ x: [0, 1], y: [0.1, 0.2] });
  });

  it("parseTensorBoard(bytes) reads train/ and val/ tags and Loss/train as splits", () => {
    const { history } = parseTensorBoard(
      eventsFile([
        [
          3,
          1001,
          [
            ["train/loss", 1],
            ["val/loss", 2],
            ["Loss/train", 3],
            ["lr", 0.1],
          ],
        ],
      ]),
      "e",
    );
    expect(history?.series.map((s) => [s.name, s.split, s.metric, s.role])).toEqual([
      ["train/loss", "train", "loss", "metric"],
      ["val/loss", "validation", "loss", "metric"],
      ["Loss/train", "train", "Loss", "metric"],
      ["lr", "train", "lr", "schedule"],
      ["wall_time", "train", "wall_time", "other"],
    ]);
  });

  it("parseTensorBoard(bytes) keeps non-finite simple values", () => {
    const { history } = parseTensorBoard(
      eventsFile([
        [0, 1, [["loss", NaN]]],
        [1, 2, [["loss", Infinity]]],
      ]),
      "e",
    );
    expect(seriesOf(history, "loss").y).toEqual([NaN, Infinity]);
  });

  it("parseTensorBoard(bytes) leaves out a record with a corrupted data CRC and reports its byte offset", () => {
    const bytes = eventsFile([
      [0, 1001, [["loss", 1]]],
      [1, 1002, [["loss", 2]]],
      [2, 1003, [["loss", 3]]],
    ]);
    const second = readTfRecords(bytes).records[2]!;
    bytes[second.offset + 12 + 3]! ^= 0xff;
    const { history, diagnostics } = parseTensorBoard(bytes, "e");
    expect(seriesOf(history, "loss")).toMatchObject({ x: [0, 2], y: [1, 3] });
    expect(diagnostics).toMatchObject([{ line: 0, fatal: false, ruleId: "tfrecord-data-crc" }]);
    expect(diagnostics[0]?.reason).toContain(`byte offset ${second.offset}`);
  });

  it("parseTensorBoard(bytes) stops at a corrupted length CRC, keeping the records before it", () => {
    const bytes = eventsFile([
      [0, 1001, [["loss", 1]]],
      [1, 1002, [["loss", 2]]],
    ]);
    const second = readTfRecords(bytes).records[2]!;
    bytes[second.offset + 9]! ^= 0x01;
    const { history, diagnostics } = parseTensorBoard(bytes, "e");
    expect(seriesOf(history, "loss")).toMatchObject({ x: [0], y: [1] });
    expect(diagnostics).toMatchObject([{ line: 0, fatal: false, ruleId: "tfrecord-length-crc" }]);
  });

  it("parseTensorBoard(bytes) warns about a truncated last record and keeps the values before it", () => {
    const bytes = eventsFile([
      [0, 1001, [["loss", 1]]],
      [1, 1002, [["loss", 2]]],
    ]);
    const { history, diagnostics } = parseTensorBoard(bytes.subarray(0, bytes.length - 5), "e");
    expect(seriesOf(history, "loss")).toMatchObject({ x: [0], y: [1] });
    expect(diagnostics).toMatchObject([{ line: 0, fatal: false, ruleId: "tfrecord-truncated" }]);
  });

  it("parseTensorBoard(bytes) keeps the later wall time when a tag is written twice at a step", () => {
    const { history } = parseTensorBoard(
      eventsFile([
        [0, 1002, [["loss", 1]]],
        [0, 1001, [["loss", 9]]],
        [0, 1003, [["loss", 2]]],
      ]),
      "e",
    );
    expect(seriesOf(history, "loss")).toMatchObject({ x: [0], y: [2] });
  });

  it("parseTensorBoard(bytes) is fatal on bytes that are not TFRecord framing", () => {
    const { history, diagnostics } = parseTensorBoard(new TextEncoder().encode("epoch,loss\n0,1\n"), "e");
    expect(history).toBeNull();
    expect(diagnostics).toMatchObject([{ line: 0, fatal: true, ruleId: "not-tfrecord" }]);
  });

  it("parseTensorBoard(bytes) warns about a file without scalars", () => {
    const { history, diagnostics } = parseTensorBoard(frameRecords([encodeVersionEvent(1)]), "e");
    expect(history?.series).toEqual([]);
    expect(diagnostics).toMatchObject([{ fatal: false, ruleId: "no-scalars" }]);
  });

  it("parseTensorBoard(bytes) warns about a record that is not an Event and keeps the others", () => {
    const bytes = frameRecords([encodeVersionEvent(1), new Uint8Array([0x0a, 0xff]), encodeEvent(0, 2, [["loss", 1]])]);
    const { history, diagnostics } = parseTensorBoard(bytes, "e");
    expect(seriesOf(history, "loss").y).toEqual([1]);
    expect(diagnostics).toMatchObject([{ fatal: false, ruleId: "bad-event" }]);
  });

  it("parseTensorBoard(bytes) never throws on arbitrary bytes or corrupted event files", () => {
    const good = eventsFile([
      [
        0,
        1001,
        [
          ["loss", 1],
          ["t", encodeScalarTensor(1, "float_val", 2)],
        ],
      ],
      [1, 1002, [["loss", 2]]],
    ]);
    const corrupted = fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 5 }).map((edits) => {
      const copy = good.slice();
      for (const [at, value] of edits) copy[at] = value;
      return copy;
    });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), corrupted), (bytes) => {
        parseTensorBoard(bytes, "e");
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe("mergeTensorBoard", () => {
  it("mergeTensorBoard(histories) joins two event files sorted by step, the later wall time winning", () => {
    const first = parseTensorBoard(
      eventsFile([
        [0, 1001, [["loss", 1]]],
        [1, 1002, [["loss", 0.75]]],
        [
          2,
          1003,
          [
            ["loss", 0.5],
            ["acc", 0.5],
          ],
        ],
      ]),
      "run/a",
    ).history!;
    const second = parseTensorBoard(
      eventsFile([
        [2, 2001, [["loss", 0.25]]],
        [
          3,
          2002,
          [
            ["loss", 0.125],
            ["lr", 0.0625],
          ],
        ],
      ]),
      "run/b",
    ).history!;
    for (const merged of [mergeTensorBoard([first, second]), mergeTensorBoard([second, first])]) {
      expect(seriesOf(merged, "loss")).toMatchObject({ x: [0, 1, 2, 3], y: [1, 0.75, 0.25, 0.125] });
      expect(seriesOf(merged, "acc")).toMatchObject({ x: [2], y: [0.5] });
      expect(seriesOf(merged, "lr")).toMatchObject({ x: [3], role: "schedule" });
      expect(seriesOf(merged, "wall_time").y).toEqual([1001, 1002, 2001, 2002]);
      expect(merged?.attempts).toEqual([{ index: 0, line: 0, firstEpoch: 0, lastEpoch: 3, rows: 5 }]);
    }
    expect(mergeTensorBoard([first, second])?.columns).toEqual(["loss", "acc", "lr"]);
  });

  it("mergeTensorBoard([]) is null", () => {
    expect(mergeTensorBoard([])).toBeNull();
  });
});
