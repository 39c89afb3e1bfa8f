import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildArchive } from "../../src/core/archive.ts";
import { normalizeConfig } from "../../src/core/config.ts";
import { openParseCache } from "../../src/io/parseCache.ts";
import { readSources, scanRuns } from "../../src/io/scan.ts";

// A stranger's lab: Ultralytics with args.yaml, Lightning with hparams.yaml, a Hugging Face output with checkpoints, Keras, seed-layout runs.
const lab = path.resolve(import.meta.dirname, "../fixtures/lab");
const config = normalizeConfig({ runs: lab });
const labels = { metrics: {} } as unknown as Parameters<typeof buildArchive>[2];
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function load(change?: { file: string; bytes: Uint8Array }) {
  const sources = (await readSources(await scanRuns(lab, config.extensions), { maxBytes: config.maxFileSize })).map((s) =>
    change !== undefined && s.file === change.file ? { ...s, bytes: change.bytes } : s,
  );
  const hashes = new Map(sources.flatMap((f) => (f.bytes === null ? [] : [[f.file, createHash("sha256").update(f.bytes).digest("hex")] as const])));
  return { sources, hashes };
}

async function build(file: string, salt: string, change?: { file: string; bytes: Uint8Array }) {
  const { sources, hashes } = await load(change);
  const cache = await openParseCache(file, hashes, salt);
  const archive = buildArchive(sources, config, labels, undefined, cache.memo);
  await cache.save();
  return { archive, stats: cache.stats(), sources };
}

describe("openParseCache", () => {
  it("a second build reads every run from the cache and makes the same archive as without a cache", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "runsite-parse-cache-"));
    dirs.push(dir);
    const file = path.join(dir, "parsed.v8");
    const first = await build(file, "code-1");
    const second = await build(file, "code-1");
    const { sources } = await load();
    const uncached = buildArchive(sources, config, labels);
    expect(first.stats.hits).toBe(0);
    expect(first.stats.misses).toBeGreaterThanOrEqual(8);
    expect(second.stats).toEqual({ hits: first.stats.misses, misses: 0 });
    expect(second.archive).toEqual(uncached);
    expect(first.archive).toEqual(uncached);
  });

  it("a changed file, or changed code (the salt), is read anew; the others still come from the cache", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "runsite-parse-cache-"));
    dirs.push(dir);
    const file = path.join(dir, "parsed.v8");
    const first = await build(file, "code-1");
    const seedRun = first.sources.find((s) => s.file.startsWith("unet/") && s.file.endsWith(".csv"))!;
    const text = Buffer.from(seedRun.bytes!).toString("utf8");
    const lines = text.trimEnd().split(/\r?\n/);
    // One more epoch: the last row again with the next epoch number.
    const last = lines.at(-1)!;
    const [epoch, ...rest] = last.split(",");
    const grown = Buffer.from(`${text.trimEnd()}\n${Number(epoch) + 1},${rest.join(",")}\n`);
    const second = await build(file, "code-1", { file: seedRun.file, bytes: grown });
    expect(second.stats).toEqual({ hits: first.stats.misses - 1, misses: 1 });
    const run = second.archive.experiments.find((e) => e.sources.includes(seedRun.file))!;
    const before = first.archive.experiments.find((e) => e.sources.includes(seedRun.file))!;
    expect(run.history.series[0]!.y.length).toBe(before.history.series[0]!.y.length + 1);
    const third = await build(file, "code-2", { file: seedRun.file, bytes: grown });
    expect(third.stats).toEqual({ hits: 0, misses: first.stats.misses });
  });

  it("what a build does to a run it got from the cache does not reach the cache", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "runsite-parse-cache-"));
    dirs.push(dir);
    const file = path.join(dir, "parsed.v8");
    const { archive: fresh } = await build(file, "code-1");
    const { hashes } = await load();
    const cache = await openParseCache(file, hashes, "code-1");
    const { sources } = await load();
    const archive = buildArchive(sources, config, labels, undefined, cache.memo);
    archive.experiments[0]!.diagnostics.push({ file: "x", line: 1, reason: "changed by the build", fatal: false });
    archive.experiments[0]!.history.series[0]!.y[0] = -1;
    await cache.save();
    const again = await build(file, "code-1");
    expect(again.stats.misses).toBe(0);
    expect(again.archive).toEqual(fresh);
  });

  it("a cache file that is not one (cut short, another program's) is ignored", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "runsite-parse-cache-"));
    dirs.push(dir);
    const file = path.join(dir, "parsed.v8");
    await (await import("node:fs/promises")).writeFile(file, "not a cache");
    const { stats } = await build(file, "code-1");
    expect(stats.hits).toBe(0);
  });
});
