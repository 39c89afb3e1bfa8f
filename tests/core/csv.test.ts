import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { dsvFormat } from "d3-dsv";
import { createRandom } from "../../scripts/generate-archive.ts";
import { detectSeparator, parseCell, parseRecords, separators } from "../../src/core/csv.ts";

describe("parseRecords", () => {
  it("parseRecords(text) splits lines without quotes exactly as d3-dsv does (2 000 generated lines per separator)", () => {
    const random = createRandom(1015);
    const chars = [..."0123456789.e-+ abcNA", ",", ";", "\t", "'"];
    for (const separator of separators) {
      for (let i = 0; i < 2000; i++) {
        const line = Array.from({ length: 1 + Math.floor(random() * 30) }, () => chars[Math.floor(random() * chars.length)]).join("");
        if (line.trim() === "") continue;
        expect(parseRecords(`${line}\r\n`, separator)[0]!.fields, JSON.stringify(line)).toEqual(dsvFormat(separator).parseRows(line)[0]);
      }
    }
  });
  it("parseRecords(text) keeps the physical line of each record with CRLF", () => {
    expect(parseRecords("epoch,loss\r\n0,1.5\r\n1,1.2\r\n", ",")).toEqual([
      { line: 1, fields: ["epoch", "loss"] },
      { line: 2, fields: ["0", "1.5"] },
      { line: 3, fields: ["1", "1.2"] },
    ]);
  });
  it("parseRecords(text) reads CR CR LF as one line end, not a blank line", () => {
    const records = parseRecords("epoch,acc\r\r\n0,0.5\r\r\n1,0.9", ",");
    expect(records.map((r) => r.line)).toEqual([1, 2, 3]);
    expect(records[2]!.fields).toEqual(["1", "0.9"]);
  });
  it("parseRecords(text) drops a BOM and skips blank lines without losing count", () => {
    const records = parseRecords("\ufeffepoch;loss\n\n0;1\n", ";");
    expect(records).toEqual([
      { line: 1, fields: ["epoch", "loss"] },
      { line: 3, fields: ["0", "1"] },
    ]);
  });
  it("parseRecords(text) keeps a quoted field that spans lines in one record", () => {
    const records = parseRecords('epoch,note\n0,"[0.1,\n0.2]"\n1,x\n', ",");
    expect(records[1]).toEqual({ line: 2, fields: ["0", "[0.1,\n0.2]"] });
    expect(records[2]).toEqual({ line: 4, fields: ["1", "x"] });
  });
  it("parseRecords(text) never throws on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.constantFrom(",", ";", "\t" as const), (text, sep) => {
        const records = parseRecords(text, sep as "," | ";" | "\t");
        for (const r of records) expect(r.line).toBeGreaterThanOrEqual(1);
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe("detectSeparator", () => {
  it("detectSeparator(header) picks ; for epoch;loss;val_loss and tab for TSV", () => {
    expect(detectSeparator("epoch;loss;val_loss")).toBe(";");
    expect(detectSeparator("epoch\tacc\tloss")).toBe("\t");
    expect(detectSeparator("epoch,loss")).toBe(",");
    expect(detectSeparator("epoch")).toBe(",");
  });
});

describe("parseCell", () => {
  it("parseCell(raw) keeps non-finite values and missing cells apart from 0", () => {
    expect(parseCell("nan")).toEqual({ value: NaN });
    expect(parseCell("inf")).toEqual({ value: Infinity });
    expect(parseCell("-inf")).toEqual({ value: -Infinity });
    expect(parseCell("NA")).toEqual({ value: null });
    expect(parseCell("")).toEqual({ value: null });
    expect(parseCell("#na#")).toEqual({ value: null });
    expect(parseCell(" 1.5 ")).toEqual({ value: 1.5 });
    expect(parseCell("167504288.0")).toEqual({ value: 167504288 });
    expect(parseCell("0.0048420820953009791")).toEqual({ value: 0.0048420820953009791 });
    // Overflow reads as inf, as Python's float("1e309") does; -0 stays -0 (JSON writes 0).
    expect(parseCell("1e309")).toEqual({ value: Infinity });
    expect(Object.is((parseCell("-0") as { value: number }).value, -0)).toBe(true);
  });
  it("parseCell(raw) refuses what is not a plain decimal instead of guessing", () => {
    expect(parseCell("0x10")).toEqual({ error: '"0x10"' });
    expect(parseCell("1,5")).toEqual({ error: '"1,5"' });
    expect(parseCell("[0.1, 0.2]")).toEqual({ error: '"[0.1, 0.2]"' });
  });
});
