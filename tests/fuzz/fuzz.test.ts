import fc from "fast-check";
import { describe, it } from "vitest";
import { loaderProperty, markdownProperty } from "./targets.ts";

// The sample of `npm run fuzz` that runs with every `npm test`.
describe("fuzzing (sample; npm run fuzz runs 100 000 inputs per target)", () => {
  it("parseHistory(bytes, file, format) never throws on generated logs and bytes", () => {
    fc.assert(loaderProperty, { seed: 8, numRuns: 2000 });
  });
  it("renderMarkdown(text) never throws and never emits a script, handler or javascript: link", async () => {
    await fc.assert(markdownProperty, { seed: 8, numRuns: 150 });
  });
});
