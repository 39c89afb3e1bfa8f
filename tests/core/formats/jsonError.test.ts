import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonErrorOffset } from "../../../src/core/formats/jsonError.ts";

const valid = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe("jsonErrorOffset", () => {
  it("jsonErrorOffset(text) points at a trailing comma's closing bracket", () => {
    expect(jsonErrorOffset('{"a": [1,\n]}')).toBe(10);
  });

  it("jsonErrorOffset(text) points past the end of cut-off JSON", () => {
    expect(jsonErrorOffset('{"a": [1')).toBe(8);
  });

  it("jsonErrorOffset(text) points at text after the value", () => {
    expect(jsonErrorOffset("{}\n{}")).toBe(3);
  });

  it("jsonErrorOffset(text) does not overflow on deep nesting", () => {
    expect(jsonErrorOffset("[".repeat(100_000))).toBe(100_000);
  });

  it("jsonErrorOffset(text) is -1 exactly when JSON.parse accepts the text", () => {
    const text = fc.oneof(
      fc.json(),
      fc.json().map((j) => j.slice(0, -1)),
      fc.string(),
      fc.array(fc.constantFrom("{", "}", "[", "]", ",", ":", '"a"', "1", "-0.5e3", "01", "tru", "null", " ", "\n", '"\\u12"', '"\\n"'), { maxLength: 20 }).map((a) => a.join("")),
    );
    fc.assert(
      fc.property(text, (t) => {
        expect(jsonErrorOffset(t) === -1).toBe(valid(t));
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
