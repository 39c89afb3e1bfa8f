// How fast is a build at archive sizes far beyond the sample (issue #7)?
//
//   node scripts/bench.ts [--only 1k|10k|long[,…]] [--keep] [--write] [--floor N] [--timeout MIN]
//
// Writes deterministic synthetic archives to a temporary folder, builds each with the real CLI
// (`bin/runsite.mjs build`) in a child process and measures wall time, peak RSS and page sizes;
// then measures the floor: parsing, building and rendering the same figures in this process with
// nothing else (no Astro, no pages). `--write` puts the table into docs/performance.md.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { normalizeConfig } from "../src/core/config.ts";
import { m4 } from "../src/core/downsample.ts";
import { historyFigure } from "../src/core/figures.ts";
import { parseKeras } from "../src/core/formats/keras.ts";
import type { History } from "../src/core/history.ts";
import { parseMetricLabels } from "../src/core/labels.ts";
import { renderFigure } from "../src/render/svg.ts";
import { archiveSpecs, generateArchive, type ArchiveSpec } from "./generate-archive.ts";

const repo = fileURLToPath(new URL("../", import.meta.url));
const timeBin = "/usr/bin/time";

interface BuildResult {
  ok: boolean;
  seconds: number;
  /** Peak resident set size of the build process, MB (null when unknown). */
  peakMb: number | null;
  /** The CLI's summary line, or what went wrong. */
  outcome: string;
  /** The phase times the build prints with RUNSITE_TIMINGS=1, or null. */
  timings: string | null;
  pages: number[];
}

interface FloorResult {
  /** Mean ms per experiment for parse, figure, render and their sum; or the error. */
  ms: { parse: number; figure: number; render: number; total: number } | { error: string };
  count: number;
}

interface Row {
  spec: ArchiveSpec;
  archiveMb: number;
  build: BuildResult;
  floor: FloorResult;
  /** Floor with every series downsampled by `m4` first (only where that changes anything). */
  floorM4: FloorResult | null;
  /** The same build again after one history gained a row (warm figure cache), for the 1k archive. */
  rebuild: BuildResult | null;
}

/** Copies the package (sources, not node_modules) so concurrent builds in the working tree cannot clobber Astro's `.astro/.prerender`. */
async function stagePackage(dir: string): Promise<string> {
  const pkg = path.join(dir, "pkg");
  await mkdir(pkg, { recursive: true });
  for (const entry of ["bin", "src", "content", "package.json", "tsconfig.json"]) {
    await cp(path.join(repo, entry), path.join(pkg, entry), { recursive: true });
  }
  await symlink(path.join(repo, "node_modules"), path.join(pkg, "node_modules"), "dir");
  return pkg;
}

/** Runs the real CLI on `runs`; measures wall time and the child's peak RSS. */
async function runBuild(pkg: string, dir: string, runs: string, timeoutMinutes: number): Promise<BuildResult> {
  const cli = [process.execPath, path.join(pkg, "bin/runsite.mjs"), "build", "--runs", runs, "--out", path.join(dir, "site"), "--content", path.join(pkg, "content")];
  const useTime = existsSync(timeBin);
  const [command, ...args] = useTime ? [timeBin, "-v", ...cli] : cli;
  const started = performance.now();
  // Its own process group, so that a timeout ends the build and not just /usr/bin/time.
  const child = spawn(command!, args, { cwd: dir, env: { ...process.env, NO_COLOR: "1", RUNSITE_TIMINGS: "1" }, detached: true });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  let hwm: number | null = null;
  const poll = useTime ? null : setInterval(() => void readHwm(child).then((kb) => (hwm = kb ?? hwm)), 100);
  const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), timeoutMinutes * 60_000);
  const { code, signal } = await new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal })));
  clearTimeout(timer);
  if (poll !== null) clearInterval(poll);
  const seconds = (performance.now() - started) / 1000;
  const rssKb = useTime ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? NaN) : hwm;
  const peakMb = rssKb === null || Number.isNaN(rssKb) ? null : rssKb / 1024;
  const summary = stdout.split("\n").find((l) => l.startsWith("runsite: ") && l.includes("pages written"));
  const exit = useTime ? /Command (?:exited with non-zero status (\d+)|terminated by signal (\d+))/.exec(stderr) : null;
  const ok = code === 0 && signal === null && exit === null && summary !== undefined;
  const timings = /^runsite timings \(s\): (.*)$/m.exec(stderr)?.[1] ?? null;
  const errorLines = stderr.split("\n").filter((l) => l.trim() !== "" && !/^\s|^Command|^runsite timings/.test(l));
  const outcome = ok
    ? summary!
    : [
        signal !== null ? `killed by ${signal} (timeout ${timeoutMinutes} min?)` : exit?.[2] !== undefined ? `terminated by signal ${exit[2]}` : `exit code ${exit?.[1] ?? code}`,
        ...errorLines.slice(-6),
      ].join("; ");
  return { ok, seconds, peakMb, outcome, timings, pages: ok ? await pageSizes(path.join(dir, "site", "experiments")) : [] };
}

async function readHwm(child: ChildProcess): Promise<number | null> {
  const status = await readFile(`/proc/${child.pid}/status`, "utf8").catch(() => "");
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kb === undefined ? null : Number(kb);
}

/** Sizes in bytes of every `experiments/**\/index.html`. */
async function pageSizes(dir: string): Promise<number[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  const files = entries.filter((e) => e.isFile() && e.name === "index.html").map((e) => path.join(e.parentPath, e.name));
  return Promise.all(files.map(async (f) => (await stat(f)).size));
}

/** History files under `root`, sorted. */
async function listHistories(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".csv"))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** Every series of `history` downsampled for a 960 px figure's 320 px panels (250 px inside the margins of figures.ts). */
function downsampleHistory(history: History): History {
  const xs = history.series.flatMap((s) => [s.x[0]!, s.x.at(-1)!]);
  const xDomain = [Math.min(...xs), Math.max(...xs)];
  return { ...history, series: history.series.map((s) => ({ ...s, ...m4(s.x, s.y, { columns: 250, xDomain }) })) };
}

/**
 * The floor: parse + figure + render of `files` in this process, single-threaded, with the
 * build's labels and early-stopping defaults; `warmup` files first, not counted.
 */
async function measureFloor(root: string, files: readonly string[], { warmup = 5, downsample = false } = {}): Promise<FloorResult> {
  const config = normalizeConfig({});
  const labelsFile = path.join(repo, "content/labels/metrics.yml");
  const { labels } = parseMetricLabels(await readFile(labelsFile, "utf8"), "content/labels/metrics.yml");
  const texts = await Promise.all(files.map(async (f) => ({ file: path.relative(root, f), text: await readFile(f, "utf8") })));
  const sum = { parse: 0, figure: 0, render: 0 };
  try {
    texts.forEach(({ file, text }, i) => {
      const t0 = performance.now();
      const { history } = parseKeras(text, file);
      if (history === null) throw new Error(`${file}: not readable`);
      const t1 = performance.now();
      const figure = historyFigure(downsample ? downsampleHistory(history) : history, { labels, earlyStopping: config.earlyStopping });
      const t2 = performance.now();
      renderFigure(figure);
      const t3 = performance.now();
      if (i < warmup && texts.length > warmup) return;
      sum.parse += t1 - t0;
      sum.figure += t2 - t1;
      sum.render += t3 - t2;
    });
  } catch (error) {
    return { ms: { error: `${(error as Error).name}: ${(error as Error).message}` }, count: texts.length };
  }
  const count = texts.length > warmup ? texts.length - warmup : texts.length;
  const ms = { parse: sum.parse / count, figure: sum.figure / count, render: sum.render / count, total: 0 };
  ms.total = ms.parse + ms.figure + ms.render;
  return { ms, count };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor((sorted.length - 1) / 2)]!;
}

const fmt = (v: number | null | undefined, digits = 1) => (v === null || v === undefined || !Number.isFinite(v) ? "—" : v.toFixed(digits));
const floorMs = (f: FloorResult | null) => (f === null ? null : "error" in f.ms ? null : f.ms.total);

/** The results as a Markdown table (what the script prints and writes). */
function formatTable(rows: readonly Row[]): string {
  const byName = new Map(rows.map((r) => [r.spec.name, r]));
  const small = byName.get("1k");
  const large = byName.get("10k");
  const marginal = small?.build.ok && large?.build.ok ? ((large.build.seconds - small.build.seconds) / (large.spec.experiments - small.spec.experiments)) * 1000 : null;
  const lines = [
    "| archive | experiments × rows | archive MB | build | total s | ms/experiment | marginal ms/experiment | peak RSS MB | median page KB | max page KB | floor ms/figure | build/floor |",
    "| --- | --: | --: | --- | --: | --: | --: | --: | --: | --: | --: | --: |",
  ];
  for (const r of rows) {
    const perExperiment = r.build.ok ? (r.build.seconds / r.spec.experiments) * 1000 : null;
    const floor = floorMs(r.floor);
    lines.push(
      `| ${r.spec.name} | ${r.spec.experiments.toLocaleString("en-US")} × ${r.spec.rows.toLocaleString("en-US")} | ${fmt(r.archiveMb)} | ${r.build.ok ? "ok" : "**failed**"} | ${fmt(r.build.seconds)} | ${fmt(perExperiment)} | ${r.spec.name === "10k" ? fmt(marginal) : "—"} | ${fmt(r.build.peakMb, 0)} | ${fmt(median(r.build.pages) / 1024)} | ${fmt(r.build.pages.length > 0 ? Math.max(...r.build.pages) / 1024 : null)} | ${floor === null ? "error" : fmt(floor, 2)} | ${perExperiment !== null && floor !== null ? fmt(perExperiment / floor) : "—"} |`,
    );
  }
  return lines.join("\n");
}

/** The details below the table: each build's outcome and the floor's breakdown. */
function formatNotes(rows: readonly Row[]): string {
  const lines: string[] = [];
  for (const r of rows) {
    lines.push(`- **${r.spec.name}** build: ${r.build.outcome.replaceAll("|", "\\|")}`);
    if (r.build.timings !== null) lines.push(`  - phases (s): ${r.build.timings}`);
    if (r.rebuild !== null) {
      const share = r.build.ok && r.rebuild.ok ? ` = ${fmt((r.rebuild.seconds / r.build.seconds) * 100, 0)} % of the full build` : "";
      lines.push(`  - rebuild after one CSV gained a row (warm figure cache): ${fmt(r.rebuild.seconds)} s${share}; ${r.rebuild.outcome.replaceAll("|", "\\|")}`);
      if (r.rebuild.timings !== null) lines.push(`  - rebuild phases (s): ${r.rebuild.timings}`);
    }
    for (const [label, f] of [
      ["floor", r.floor],
      ["floor with m4 (250 columns)", r.floorM4],
    ] as const) {
      if (f === null) continue;
      lines.push(
        "error" in f.ms
          ? `  - ${label} over ${f.count} files: ${f.ms.error}`
          : `  - ${label} over ${f.count} files: parse ${fmt(f.ms.parse, 2)} + figure ${fmt(f.ms.figure, 2)} + render ${fmt(f.ms.render, 2)} = ${fmt(f.ms.total, 2)} ms/experiment`,
      );
    }
  }
  return lines.join("\n");
}

async function machineFacts(): Promise<string> {
  const cpuinfo = await readFile("/proc/cpuinfo", "utf8").catch(() => "");
  const cpu = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? "unknown";
  return [
    `- CPU: ${cpu.trim()}, ${os.availableParallelism()} logical CPUs (nproc)`,
    `- memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Node ${process.version} (${process.platform} ${os.release()})`,
    `- peak RSS from ${existsSync(timeBin) ? "`/usr/bin/time -v`" : "`/proc/<pid>/status` VmHWM"}`,
  ].join("\n");
}

const begin = "<!-- bench:begin (written by node scripts/bench.ts --write) -->";
const end = "<!-- bench:end -->";

/** Replaces the generated part of docs/performance.md, keeping what people wrote around it. */
async function writeReport(generated: string): Promise<string> {
  const file = path.join(repo, "docs/performance.md");
  const old = await readFile(file, "utf8").catch(() => `# Performance\n\n${begin}\n${end}\n`);
  const [head, rest] = old.includes(begin) && old.includes(end) ? [old.slice(0, old.indexOf(begin)), old.slice(old.indexOf(end) + end.length)] : [`${old.trimEnd()}\n\n`, "\n"];
  await writeFile(file, `${head}${begin}\n${generated}\n${end}${rest}`);
  return file;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: "string", multiple: true },
      keep: { type: "boolean" },
      write: { type: "boolean" },
      floor: { type: "string", default: "200" },
      timeout: { type: "string", default: "60" },
    },
  });
  const names = values.only?.flatMap((o) => o.split(",")) ?? Object.keys(archiveSpecs);
  for (const name of names) if (!(name in archiveSpecs)) throw new Error(`invalid archive: ${name} (expected ${Object.keys(archiveSpecs).join(", ")})`);
  const floorCount = Number(values.floor);
  const dir = await mkdtemp(path.join(os.tmpdir(), "runsite-bench-"));
  console.error(`bench: working in ${dir}`);
  const pkg = await stagePackage(dir);
  const rows: Row[] = [];
  try {
    for (const name of names) {
      const spec = archiveSpecs[name]!;
      const archiveDir = path.join(dir, name);
      const runs = path.join(archiveDir, "runs");
      let t = performance.now();
      const bytes = await generateArchive(spec, runs);
      console.error(`bench: ${name}: wrote ${spec.experiments} histories (${(bytes / 1e6).toFixed(1)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s; building…`);
      t = performance.now();
      const build = await runBuild(pkg, archiveDir, runs, Number(values.timeout));
      console.error(`bench: ${name}: ${build.outcome} (${build.seconds.toFixed(1)} s, peak RSS ${fmt(build.peakMb, 0)} MB)`);
      let rebuild: BuildResult | null = null;
      if (name === "1k" && build.ok) {
        // A training writes one more epoch to one file: what does a rebuild cost?
        const [first] = await listHistories(runs);
        const text = await readFile(first!, "utf8");
        const last = text.trimEnd().split("\r\n").at(-1)!;
        await writeFile(first!, `${text}${Number(last.split(",")[0]) + 1}${last.slice(last.indexOf(","))}\r\n`);
        rebuild = await runBuild(pkg, archiveDir, runs, Number(values.timeout));
        console.error(`bench: ${name}: rebuild after one CSV changed: ${rebuild.outcome} (${rebuild.seconds.toFixed(1)} s)`);
      }
      const files = (await listHistories(runs)).slice(0, name === "long" ? 3 : floorCount);
      const floor = await measureFloor(runs, files, { warmup: name === "long" ? 0 : 5 });
      const floorM4 = spec.rows > 4 * 250 ? await measureFloor(runs, files, { warmup: 0, downsample: true }) : null;
      rows.push({ spec, archiveMb: bytes / 1e6, build, floor, floorM4, rebuild });
      if (!values.keep) await rm(archiveDir, { recursive: true, force: true });
    }
  } finally {
    if (!values.keep) await rm(dir, { recursive: true, force: true });
    else console.error(`bench: kept ${dir}`);
  }
  const generated = [
    `Measured ${new Date().toISOString().slice(0, 10)} with \`node scripts/bench.ts${names.length < 3 ? ` --only ${names.join(",")}` : ""}\`:`,
    "",
    await machineFacts(),
    "",
    formatTable(rows),
    "",
    formatNotes(rows),
  ].join("\n");
  console.log(generated);
  if (values.write) console.error(`bench: wrote ${await writeReport(generated)}`);
}

await main();
