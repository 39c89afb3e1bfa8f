import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseKeras } from "../../src/core/formats/keras.ts";
import { renderFigures, type FigureRequest } from "../../src/render/pool.ts";
import { tempDir } from "../support/cli.ts";
import { repoRoot } from "../support/fixtures.ts";

/** Figure requests for the sample runs (real histories). */
async function sampleRequests(): Promise<FigureRequest[]> {
  const runs = path.join(repoRoot, "runs");
  const files = (await readdir(runs, { recursive: true })).filter((f) => f.endsWith(".csv")).sort();
  return Promise.all(
    files.map(async (file, i): Promise<FigureRequest> => {
      const { history } = parseKeras(await readFile(path.join(runs, file), "utf8"), file);
      return { kind: "history", slug: `run-${i}`, history: history!, options: { labels: {}, earlyStopping: { minDelta: 0.005, patience: 3 } }, sourceHash: `hash-${i}` };
    }),
  );
}

describe("renderFigures", () => {
  it("renderFigures(requests) draws each figure once into the cache; a second call finds them all there", async () => {
    const requests = await sampleRequests();
    const cacheDir = await tempDir();
    const first = await renderFigures(requests, { cacheDir, workers: 0 });
    const files = await Promise.all(requests.map((r) => first.files.get(r.slug)!));
    expect(new Set(files).size).toBe(requests.length);
    for (const file of files) expect(await readFile(file, "utf8")).toMatch(/^<svg [^>]*class="runsite-figure"/);
    let progress = 0;
    const second = await renderFigures(requests, { cacheDir, workers: 0, progress: (done) => (progress = done) });
    // Found in the cache: every promise is already settled, nothing is drawn again.
    expect(progress).toBe(requests.length);
    expect(await Promise.all(requests.map((r) => second.files.get(r.slug)!))).toEqual(files);
  });

  it("want(slug) draws a waiting figure next, ahead of the ones requested earlier", async () => {
    const requests = await sampleRequests();
    const { files, want } = await renderFigures(requests, { cacheDir: await tempDir(), workers: 0 });
    const order: string[] = [];
    const last = requests.at(-1)!.slug;
    want(last);
    await Promise.all(requests.map((r) => files.get(r.slug)!.then(() => order.push(r.slug))));
    // The figure already being drawn when it was asked for finishes first; the wanted one comes next,
    // ahead of the nine requested before it; the rest keep their order.
    expect(order.indexOf(last)).toBe(1);
    expect(order.filter((slug) => slug !== last)).toEqual(requests.slice(0, -1).map((r) => r.slug));
  });
});
