import { describe, expect, it } from "vitest";
import type { Column } from "../../src/core/experimentTable.ts";
import { compareValues, distinctValues, numberOf, rowFilter, type RunRows, sortKeys, sortOrder } from "../../src/client/tableRows.ts";

const columns: Column[] = [
  { key: "stem", label: "Experiment", type: "text", filter: false },
  { key: "DR", label: "DR", type: "number", filter: true },
  { key: "val", label: "Val", type: "number", filter: false },
];
// Five rows, column by column, as decodeRunIndex gives them.
const stem = ["b_N204", "b_N48", "a", "c", "d"];
const DR = [null, "40", "20", "40.0", "20"];
const val = ["0.9931", "0.9413", null, "nan", "0.9996"];
const rows: Pick<RunRows, "columns" | "values" | "search"> = {
  columns,
  values: [stem, DR, val],
  search: ["unet_2d_mdice 2d u-net", "unet_2d_mdice 2d u-net", "unet_2d_mdice_ag 2d u-net with attention gates", "unet_2d_mdice", "unet_2d_mdice_ag attention"],
};
const all = [0, 1, 2, 3, 4];

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

describe("sortKeys + sortOrder", () => {
  const sorted = (values: (string | null)[], type: "text" | "number", dir: "asc" | "desc", subset = all) => sortOrder(subset, sortKeys(values, type), dir);
  it("sortOrder(val, desc) puts the best first and missing values last, in archive order", () => {
    expect(sorted(val, "number", "desc")).toEqual([4, 0, 1, 2, 3]);
    expect(sorted(val, "number", "asc")).toEqual([1, 0, 4, 2, 3]);
  });
  it("sortOrder(DR) is stable: equal values keep archive order", () => {
    expect(sorted(DR, "number", "asc")).toEqual([2, 4, 1, 3, 0]);
    expect(sorted(DR, "number", "desc")).toEqual([1, 3, 2, 4, 0]);
  });
  it("sortOrder(text) ranks by the numeric-aware collator: N48 before N204, either direction reversed", () => {
    expect(sorted(stem, "text", "asc")).toEqual([2, 1, 0, 3, 4]);
    expect(sorted(stem, "text", "desc")).toEqual([4, 3, 0, 1, 2]);
  });
  it("sortOrder(rows, null) is archive order, and sorts only the rows given", () => {
    expect(sortOrder([4, 3, 2, 1, 0], null, "desc")).toEqual(all);
    expect(sorted(val, "number", "desc", [3, 1, 4])).toEqual([4, 1, 3]);
  });
  it("sortOrder agrees with compareValues on random numbers and names, missing ones included", () => {
    const names = ["N48", "N204", "n48", "a", "", null, "Z_10", "Z_9", "é", "e"];
    const numbers = ["1", "-2", "1e-3", "nan", null, "0.5", "10", "9", "Infinity", "3"];
    for (const [values, type] of [
      [names, "text"],
      [numbers, "number"],
    ] as const) {
      const index = values.map((_, i) => i);
      for (const dir of ["asc", "desc"] as const) {
        const expected = [...index].sort((a, b) => compareValues(values[a], values[b], type, dir) || a - b);
        expect(sortOrder(index, sortKeys(values, type), dir), `${type} ${dir}`).toEqual(expected);
      }
    }
  });
});

describe("rowFilter", () => {
  const shown = (state: { q?: string; filters?: Record<string, string> }) => all.filter(rowFilter(rows, { q: state.q ?? "", filters: state.filters ?? {} }));
  it("rowFilter(DR = 40) matches the number, however it is written", () => {
    expect(shown({ filters: { DR: "40" } })).toEqual([1, 3]);
  });
  it("rowFilter(DR = -) matches rows without the parameter", () => {
    expect(shown({ filters: { DR: "-" } })).toEqual([0]);
  });
  it("rowFilter(q) needs every word, in any case", () => {
    expect(shown({ q: "ATTENTION" })).toEqual([2, 4]);
    expect(shown({ q: "attention gates" })).toEqual([2]);
    expect(shown({ q: "attention", filters: { DR: "40" } })).toEqual([]);
  });
});

describe("distinctValues", () => {
  it("distinctValues(DR) lists each number once, sorted, with - last for rows without one", () => {
    expect(distinctValues(DR, "number")).toEqual(["20", "40", "-"]);
  });
  it("distinctValues(stem) sorts text numeric-aware", () => {
    expect(distinctValues(stem, "text")).toEqual(["a", "b_N48", "b_N204", "c", "d"]);
  });
  it("numberOf(raw) is null for missing, blank and non-finite values", () => {
    expect([numberOf(null), numberOf(""), numberOf("inf"), numberOf("Infinity"), numberOf("0.5")]).toEqual([null, null, null, null, 0.5]);
  });
});
