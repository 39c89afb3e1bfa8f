import { describe, expect, it } from "vitest";
import { buildArchive } from "../../src/core/archive.ts";
import { normalizeConfig } from "../../src/core/config.ts";

const encode = (text: string) => new TextEncoder().encode(text);

describe("buildArchive", () => {
  it("buildArchive(files) turns a runsite bug on one file into that file's fatal problem and builds the rest", () => {
    // Bytes that throw when read stand in for a bug deep in a parser.
    const exploding = new Proxy(encode("epoch,loss\n0,1\n"), {
      get(target, key) {
        if (key === "subarray") throw new Error("boom");
        return Reflect.get(target, key);
      },
    });
    const archive = buildArchive(
      [
        { file: "a/good.csv", bytes: encode("epoch,loss\n0,0.5\n1,0.4\n") },
        { file: "a/bad.csv", bytes: exploding },
      ],
      normalizeConfig({}),
      {},
    );
    expect(archive.experiments.map((e) => e.info.file)).toEqual(["a/good.csv"]);
    expect(archive.problems).toEqual([
      {
        file: "a/bad.csv",
        fatal: true,
        diagnostics: [{ file: "a/bad.csv", line: 0, reason: "runsite failed on this file (please report it): boom", fatal: true, ruleId: "internal-error" }],
      },
    ]);
    expect(archive.filesFound).toBe(2);
    expect(archive.filesWithPage).toBe(1);
  });
  it("buildArchive(an empty TensorBoard event file) lists it as a problem, with no page", () => {
    const archive = buildArchive([{ file: "run/events.out.tfevents.1", bytes: new Uint8Array() }], normalizeConfig({}), {});
    expect(archive.experiments).toEqual([]);
    expect(archive.problems.map((p) => [p.file, p.fatal])).toEqual([["run/events.out.tfevents.1", true]]);
  });
});
