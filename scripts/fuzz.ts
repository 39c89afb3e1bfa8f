// npm run fuzz [-- --runs N] [--seed S]: the loaders and the markdown pipeline
// against N generated inputs each (default 100 000), seeded so a failure can
// be replayed; fast-check shrinks a failing input to a small one.
import fc from "fast-check";
import { parseArgs } from "node:util";
import { loaderProperty, markdownProperty } from "../tests/fuzz/targets.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "100000" }, seed: { type: "string", default: "20211" } } });
const numRuns = Number(values.runs);
const seed = Number(values.seed);
for (const [name, property] of [
  ["loaders", loaderProperty],
  ["markdown", markdownProperty],
] as const) {
  const started = performance.now();
  const runs = numRuns;
  await fc.assert(property as fc.IAsyncProperty<[unknown]>, { seed, numRuns: runs });
  console.log(`fuzz: ${name}: ${runs} inputs, no failure (${((performance.now() - started) / 1000).toFixed(1)} s, seed ${seed})`);
}
