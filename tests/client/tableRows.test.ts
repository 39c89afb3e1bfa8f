import { describe, expect, it } from "vitest";
import { compareValues, distinctValues, matchesRow, numberOf, sortRows, type RowData } from "../../src/client/tableRows.ts";

const row = (index: number, values: Record<string, string | null>, search = ""): RowData => ({ index, values, search });
const rows = [
  row(0, { stem: "b_N204", DR: null, val: "0.9931" }, "unet_2d_mdice 2d u-net"),
  row(1, { stem: "b_N48", DR: "40", val: "0.9413" }, "unet_2d_mdice 2d u-net"),
  row(2, { stem: "a", DR: "20", val: null }, "unet_2d_mdice_ag 2d u-net with attention gates"),
  row(3, { stem: "c", DR: "40.0", val: "nan" }, "unet_2d_mdice"),
  row(4, { stem: "d", DR: "20", val: "0.9996" }, "unet_2d_mdice_ag attention"),
];
const types = { stem: "text", DR: "number", val: "number" } as const;

describe("compareValues", () => {
  it("compareValues(numbers) compares numerically, not as text", () => {
    expect(compareValues("9", "10", "number", "asc")).toBeLessThan(0);
    expect(compareValues("1e-4", "0.001", "number", "asc")).toBeLessThan(0);
  });
  it("compareValues(text) is numeric-aware: N48 before N204", () => {
    expect(compareValues("N48", "N204", "text", "asc")).toBeLessThan(0);
  });
  it("compareValues(missing) puts missing and non-finite values last in both directions", () => {
    for (const dir of ["asc", "desc"] as const) {
      expect(compareValues(null, "1", "number", dir)).toBeGreaterThan(0);
      expect(compareValues("nan", "1", "number", dir)).toBeGreaterThan(0);
      expect(compareValues("1", undefined, "number", dir)).toBeLessThan(0);
      expect(compareValues(null, "", "text", dir)).toBe(0);
    }
  });
});

describe("sortRows", () => {
  it("sortRows(rows, val, desc) puts the best first and missing values last, in archive order", () => {
    expect(sortRows(rows, "val", "number", "desc").map((r) => r.index)).toEqual([4, 0, 1, 2, 3]);
    expect(sortRows(rows, "val", "number", "asc").map((r) => r.index)).toEqual([1, 0, 4, 2, 3]);
  });
  it("sortRows(rows, DR) is stable: equal values keep archive order", () => {
    expect(sortRows(rows, "DR", "number", "asc").map((r) => r.index)).toEqual([2, 4, 1, 3, 0]);
    expect(sortRows(rows, "DR", "number", "desc").map((r) => r.index)).toEqual([1, 3, 2, 4, 0]);
  });
  it("sortRows(rows, null) is archive order", () => {
    expect(sortRows([...rows].reverse(), null, "text", "desc").map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe("matchesRow", () => {
  const shown = (state: { q?: string; filters?: Record<string, string> }) =>
    rows.filter((r) => matchesRow(r, { q: state.q ?? "", filters: state.filters ?? {} }, types)).map((r) => r.index);
  it("matchesRow(DR = 40) matches the number, however it is written", () => {
    expect(shown({ filters: { DR: "40" } })).toEqual([1, 3]);
  });
  it("matchesRow(DR = -) matches rows without the parameter", () => {
    expect(shown({ filters: { DR: "-" } })).toEqual([0]);
  });
  it("matchesRow(q) needs every word, in any case", () => {
    expect(shown({ q: "ATTENTION" })).toEqual([2, 4]);
    expect(shown({ q: "attention gates" })).toEqual([2]);
    expect(shown({ q: "attention", filters: { DR: "40" } })).toEqual([]);
  });
});

describe("distinctValues", () => {
  it("distinctValues(rows, DR) lists each number once, sorted, with - last for rows without one", () => {
    expect(distinctValues(rows, "DR", "number")).toEqual(["20", "40", "-"]);
  });
  it("distinctValues(rows, stem) sorts text numeric-aware", () => {
    expect(distinctValues(rows, "stem", "text")).toEqual(["a", "b_N48", "b_N204", "c", "d"]);
  });
  it("numberOf(raw) is null for missing, blank and non-finite values", () => {
    expect([numberOf(null), numberOf(""), numberOf("inf"), numberOf("Infinity"), numberOf("0.5")]).toEqual([null, null, null, null, 0.5]);
  });
});
