import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultState, formatTableState, parseTableState, type TableState } from "../../src/client/tableState.ts";

const keys = { sortKeys: ["stem", "date", "DR", "val_vsat_dice"], filterKeys: ["model", "DR"] };

describe("parseTableState", () => {
  it("parseTableState(the issue's example) reads sort, direction, a parameter filter, text and grouping", () => {
    expect(parseTableState("?sort=val_vsat_dice&dir=desc&DR=40&q=attention&group=0", keys)).toEqual({
      sort: "val_vsat_dice",
      dir: "desc",
      q: "attention",
      group: false,
      filters: { DR: "40" },
      page: 1,
    });
  });
  it("parseTableState(empty) is the archive's own view", () => {
    expect(parseTableState("", keys)).toEqual(defaultState);
  });
  it("parseTableState(unknown column, bad direction, empty filter) ignores what this table cannot show", () => {
    expect(parseTableState("?sort=nope&dir=sideways&DR=&FBL=24&group=1", keys)).toEqual(defaultState);
  });
  it("parseTableState(q with spaces and markup) keeps the text as text", () => {
    expect(parseTableState("?q=%20%3Cb%3Eattention%3C%2Fb%3E%20gates%20", keys).q).toBe("<b>attention</b> gates");
  });
  it("parseTableState(page) reads a whole page number from 1, else page 1", () => {
    expect(["?page=2", "?page=0", "?page=-3", "?page=1.5", "?page=x", "?page="].map((q) => parseTableState(q, keys).page)).toEqual([2, 1, 1, 1, 1, 1]);
  });
});

describe("formatTableState", () => {
  it("formatTableState(state) writes sort, dir, filters in column order, q, group", () => {
    const state: TableState = { sort: "val_vsat_dice", dir: "desc", q: "attention", group: false, filters: { DR: "40", model: "unet_2d_mdice" }, page: 3 };
    expect(formatTableState(state, keys.filterKeys)).toBe("?sort=val_vsat_dice&dir=desc&model=unet_2d_mdice&DR=40&q=attention&group=0&page=3");
  });
  it("formatTableState(default view) is the empty string", () => {
    expect(formatTableState(defaultState, keys.filterKeys)).toBe("");
  });
  it("parseTableState(formatTableState(state)) gives the state back", () => {
    const state = fc.record({
      sort: fc.constantFrom(null, ...keys.sortKeys),
      dir: fc.constantFrom("asc" as const, "desc" as const),
      q: fc.string().map((s) => s.trim()),
      group: fc.boolean(),
      filters: fc.record({ model: fc.string({ minLength: 1 }), DR: fc.string({ minLength: 1 }) }, { requiredKeys: [] }),
      page: fc.integer({ min: 1, max: 10_000 }),
    });
    fc.assert(
      fc.property(state, (s) => {
        const back = parseTableState(formatTableState(s, keys.filterKeys), keys);
        // Without a sort the direction is not written: it has nothing to apply to.
        expect(back).toEqual({ ...s, dir: s.sort === null ? "asc" : s.dir });
      }),
    );
  });
});
