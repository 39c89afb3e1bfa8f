// Where a build's CPU goes: builds an archive with V8's sampling profiler on
// (`--cpu-prof`, every thread: the main thread and each figure worker), then
// sums the profiles' self time by package (or runsite folder) and by function,
// main thread and workers apart. Markdown on stdout, for docs/performance.md.
//
//   node scripts/profile.ts <runs folder> [--top N] [--keep] [--in DIR]
//
// The build is the real CLI (bin/runsite.mjs build) in a temporary folder;
// `--keep` keeps it and the .cpuprofile files (open them in Chrome DevTools).
// `--in DIR` builds in DIR instead (its site/ and .runsite-cache/ kept): run
// it twice, changing a history between, to profile an incremental rebuild.
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: "string", default: "15" }, keep: { type: "boolean", default: false }, in: { type: "string" } },
});
const runs = positionals[0];
if (runs === undefined) {
  console.error("usage: node scripts/profile.ts <runs folder> [--top N] [--keep]");
  process.exit(2);
}
const top = Number(values.top);
const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: a package under node_modules, a runsite folder, or V8's own pseudo-frames. */
function category(frame: ProfileNode["callFrame"]): string {
  const url = frame.url;
  if (url === "") return frame.functionName.startsWith("(") ? frame.functionName : "(native)";
  const modules = url.lastIndexOf("/node_modules/");
  if (modules !== -1) {
    const [scope, name] = url.slice(modules + "/node_modules/".length).split("/");
    return scope?.startsWith("@") ? `${scope}/${name}` : (scope ?? url);
  }
  const src = url.indexOf("/src/");
  if (src !== -1)
    return `runsite ${url
      .slice(src + 1)
      .split("/")
      .slice(0, 2)
      .join("/")}`;
  if (url.startsWith("node:")) return "node: (built-ins)";
  return url.includes("/dist/") || url.includes("/.prerender/") || url.includes("/chunks/") ? "runsite (Astro bundle)" : url;
}

/** Self time (ms) of each sample's frame, keyed by `key`. */
function selfTimes(profile: CpuProfile, key: (frame: ProfileNode["callFrame"]) => string): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const out = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id);
    if (frame === undefined) return;
    const k = key(frame);
    out.set(k, (out.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return out;
}

function add(into: Map<string, number>, from: Map<string, number>) {
  for (const [k, v] of from) into.set(k, (into.get(k) ?? 0) + v);
}

function table(title: string, times: Map<string, number>, n: number): string {
  const total = [...times.values()].reduce((a, b) => a + b, 0);
  const rows = [...times].sort((a, b) => b[1] - a[1]).slice(0, n);
  return [
    `${title} (${(total / 1000).toFixed(1)} s sampled)`,
    "",
    "| self time | % | where |",
    "| --: | --: | --- |",
    ...rows.map(([k, ms]) => `| ${(ms / 1000).toFixed(2)} s | ${((ms / total) * 100).toFixed(1)} | ${k.replaceAll("|", "\\|")} |`),
  ].join("\n");
}

const work = values.in === undefined ? await mkdtemp(path.join(os.tmpdir(), "runsite-profile-")) : path.resolve(values.in);
const profiles = path.join(work, "profiles");
await rm(profiles, { recursive: true, force: true });
await mkdir(work, { recursive: true });
const started = performance.now();
const result = spawnSync(
  process.execPath,
  [path.join(repo, "bin", "runsite.mjs"), "build", "--runs", path.resolve(runs), "--out", path.join(work, "site"), "--content", path.join(repo, "content")],
  {
    cwd: work,
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --cpu-prof --cpu-prof-dir=${profiles}`.trim() },
    encoding: "utf8",
  },
);
const seconds = (performance.now() - started) / 1000;
if (result.status !== 0) {
  console.error(result.stderr);
  process.exit(1);
}
// CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile: thread 0 is a process's main thread.
const files = (await readdir(profiles)).filter((f) => f.endsWith(".cpuprofile"));
const main = { byPackage: new Map<string, number>(), byFunction: new Map<string, number>() };
const workers = { byPackage: new Map<string, number>(), byFunction: new Map<string, number>(), count: 0 };
for (const file of files) {
  const profile = JSON.parse(await readFile(path.join(profiles, file), "utf8")) as CpuProfile;
  const thread = Number(file.split(".")[4]);
  const into = thread === 0 ? main : workers;
  if (thread !== 0) workers.count++;
  add(into.byPackage, selfTimes(profile, category));
  add(
    into.byFunction,
    selfTimes(profile, (f) => `${f.functionName || "(anonymous)"} · ${category(f)}${f.url === "" ? "" : `:${f.lineNumber + 1}`}`),
  );
}
console.log(`Build of ${path.resolve(runs)}: ${seconds.toFixed(1)} s wall; ${result.stdout.trim().split("\n").at(-1)}\n`);
console.log(table("Main thread, by package", main.byPackage, top), "\n");
console.log(table("Main thread, by function", main.byFunction, top), "\n");
console.log(table(`Figure workers (${workers.count}), by package`, workers.byPackage, top), "\n");
console.log(table(`Figure workers (${workers.count}), by function`, workers.byFunction, top));
if (values.keep || values.in !== undefined) console.error(`profile: kept ${work}`);
else await rm(work, { recursive: true, force: true });
