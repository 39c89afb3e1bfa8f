import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { earlyStopping, kerasPrints, type StopMode, type StopPrecision, type StopSemantics } from "../../src/core/earlyStopping.ts";
import { fixturePath } from "../support/fixtures.ts";

/**
 * The fixtures are the output of scripts/keras-early-stopping-oracle.py: the
 * real `keras.callbacks.EarlyStopping` driven epoch by epoch over generated
 * edge cases and the sample runs' validation series.
 */
interface OracleCase {
  id: string;
  kind: string;
  mode: StopMode;
  x: number[];
  y: (number | null | "NaN" | "Infinity" | "-Infinity")[];
  results: [number, number, number | null, number | null, string[]?][];
}
interface Oracle {
  keras: string;
  callbackVersion: string;
  backend: string;
  precision: StopPrecision;
  semantics: StopSemantics;
  cases: OracleCase[];
}

const dir = fixturePath("keras-early-stopping");
const oracles = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => ({ file: f, ...(JSON.parse(readFileSync(path.join(dir, f), "utf8")) as Oracle) }));

const decode = (v: OracleCase["y"][number]): number | null => (v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v);

describe("earlyStopping agrees with the real Keras (tests/fixtures/keras-early-stopping)", () => {
  it("the fixtures cover the current Keras on a float64 and a float32 backend, and Keras 3.6's callback, over ≥ 200 generated cases and the 11 sample runs", () => {
    const seen = new Set(oracles.map((o) => `${o.semantics}/${o.precision}`));
    expect([...seen].sort()).toEqual(["keras3.6/float32", "keras3.6/float64", "keras3/float32", "keras3/float64"]);
    for (const o of oracles) {
      expect(o.cases.filter((c) => c.kind !== "sample").length, o.file).toBeGreaterThanOrEqual(200);
      expect(new Set(o.cases.filter((c) => c.kind === "sample").map((c) => c.id.split("#")[0])).size, o.file).toBe(11);
      expect(new Set(o.cases[0]!.results.map((r) => r[0])), o.file).toEqual(new Set([0, 0.005, 0.05]));
      expect(new Set(o.cases[0]!.results.map((r) => r[1])), o.file).toEqual(new Set([0, 1, 3, 10]));
    }
  });

  for (const o of oracles) {
    it(`earlyStopping(series, {semantics: "${o.semantics}", precision: "${o.precision}"}) matches Keras ${o.keras} (${o.callbackVersion} callback) on ${o.backend}: stop and restored epoch, every case`, () => {
      const disagreements: string[] = [];
      let compared = 0;
      for (const c of o.cases) {
        const series = { x: c.x, y: c.y.map(decode) };
        for (const [minDelta, patience, stop, restored] of c.results) {
          const s = earlyStopping(series, { mode: c.mode, minDelta, patience, semantics: o.semantics, precision: o.precision });
          compared++;
          if (s.stoppedEpoch !== stop || s.restoredEpoch !== restored) {
            disagreements.push(`${c.id} md=${minDelta} p=${patience}: keras stop ${stop} restore ${restored}, runsite ${s.stoppedEpoch} ${s.restoredEpoch}`);
          }
        }
      }
      expect(compared).toBeGreaterThan(2500);
      expect(disagreements).toEqual([]);
    });
  }

  it("the other precision disagrees with Keras somewhere: the fixtures tell float32 from float64", () => {
    for (const o of oracles) {
      const other = o.precision === "float32" ? "float64" : "float32";
      const differs = o.cases.some((c) =>
        c.results.some(([minDelta, patience, stop, restored]) => {
          const s = earlyStopping({ x: c.x, y: c.y.map(decode) }, { mode: c.mode, minDelta, patience, semantics: o.semantics, precision: other });
          return s.stoppedEpoch !== stop || s.restoredEpoch !== restored;
        }),
      );
      expect(differs, o.file).toBe(true);
    }
  });

  it("kerasPrints(row) is what Keras printed with verbose=1 for the sample runs", () => {
    for (const o of oracles.filter((x) => x.semantics === "keras3")) {
      for (const c of o.cases.filter((x) => x.kind === "sample")) {
        for (const [minDelta, patience, , , printed] of c.results) {
          const s = earlyStopping({ x: c.x, y: c.y.map(decode) }, { mode: c.mode, minDelta, patience, semantics: o.semantics, precision: o.precision });
          expect(kerasPrints(s), `${c.id} ${minDelta} ${patience}`).toEqual(printed);
        }
      }
    }
  });
});
