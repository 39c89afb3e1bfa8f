// How fast is a build at archive sizes far beyond the sample (issue #7)?
//
//   node scripts/bench.ts [--only 1k|10k|long[,…]] [--keep] [--write] [--floor N] [--timeout MIN]
//   node scripts/bench.ts --index <built site>   (only the index in Chromium)
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
import * as Plot from "@observablehq/plot";
import { JSDOM } from "jsdom";
import { normalizeConfig } from "../src/core/config.ts";
import { m4 } from "../src/core/downsample.ts";
import { historyFigure } from "../src/core/figures.ts";
import { parseKeras } from "../src/core/formats/keras.ts";
import type { History } from "../src/core/history.ts";
import { parseMetricLabels } from "../src/core/labels.ts";
import { renderFigure } from "../src/render/svg.ts";
import { launchBrowser } from "../tests/support/browser.ts";
import { serveStatic } from "../tests/support/serve.ts";
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
  /** The built site: bytes and files in all, and the archive index's size (null when the build failed). */
  siteStats: SiteStats | null;
}

interface SiteStats {
  bytes: number;
  files: number;
  indexBytes: number;
  /** Bytes by top-level folder (or file), largest first. */
  byFolder: [string, number][];
}

/** The archive index in Chromium: load, sort and filter times (ms), or what went wrong. */
type Timed = { script: number; layout: number; painted: number };
type BrowserResult = { rows: number; load: number; sort: Timed; filter: Timed } | { error: string };

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
  /** The same build again after one history gained a row (warm caches), for the 1k and 10k archives. */
  rebuild: BuildResult | null;
  /** The simplest figure of the same data (issue #17): one Plot.plot per metric, two lines and a rule. */
  simplest: { ms: number; count: number } | { error: string };
  /** The index in Chromium (10k archive only). */
  browser: BrowserResult | null;
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
  // The phases, then what follows the summary (the swap, the previous output's deletion, the exit), as one line.
  const timingLines = [...stderr.matchAll(/^runsite timings \(s\): (.*)$/gm)].map((m) => m[1]!);
  const timings = timingLines.length === 0 ? null : timingLines.join("; ");
  const errorLines = stderr.split("\n").filter((l) => l.trim() !== "" && !/^\s|^Command|^runsite timings/.test(l));
  const outcome = ok
    ? summary!
    : [
        signal !== null ? `killed by ${signal} (timeout ${timeoutMinutes} min?)` : exit?.[2] !== undefined ? `terminated by signal ${exit[2]}` : `exit code ${exit?.[1] ?? code}`,
        ...errorLines.slice(-6),
      ].join("; ");
  const site = path.join(dir, "site");
  return { ok, seconds, peakMb, outcome, timings, pages: ok ? await pageSizes(path.join(site, "experiments")) : [], siteStats: ok ? await siteStats(site) : null };
}

/** Bytes and files of the whole built site, and the size of its `index.html`. */
async function siteStats(site: string): Promise<SiteStats> {
  const entries = await readdir(site, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  const byFolder = new Map<string, number>();
  files.forEach((f, i) => {
    const top = path.relative(site, f).split(path.sep)[0]!;
    byFolder.set(top, (byFolder.get(top) ?? 0) + sizes[i]!);
  });
  return {
    bytes: sizes.reduce((a, b) => a + b, 0),
    files: sizes.length,
    indexBytes: (await stat(path.join(site, "index.html"))).size,
    byFolder: [...byFolder].sort((a, b) => b[1] - a[1]),
  };
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

/**
 * The floor of issue #17: the simplest figure of the same data, with no
 * runsite code beyond parsing. One `Plot.plot` per metric (its training and
 * `val_` series as two lines, and a rule at the best validation epoch), all in
 * one jsdom document, serialised; single-threaded. Mean ms per experiment
 * (parsing not counted), after `warmup` unmeasured files.
 */
function measureSimplestFigure(root: string, texts: readonly { file: string; text: string }[], warmup = 5): { ms: number; count: number } | { error: string } {
  const document = new JSDOM("").window.document;
  let total = 0;
  let bytes = 0;
  try {
    texts.forEach(({ file, text }, i) => {
      const { history } = parseKeras(text, file);
      if (history === null) throw new Error(`${path.relative(root, file)}: not readable`);
      const t0 = performance.now();
      const bySeries = new Map(history.series.map((s) => [s.name, s]));
      for (const series of history.series) {
        if (series.name.startsWith("val_")) continue;
        const val = bySeries.get(`val_${series.name}`);
        const lines = [series, ...(val ? [val] : [])];
        const best = val ?? series;
        let at = 0;
        for (let k = 1; k < best.y.length; k++) if (best.y[k]! < best.y[at]!) at = k;
        const plot = Plot.plot({
          document,
          width: 320,
          height: 230,
          marks: [...lines.map((s, k) => Plot.lineY(s.y, { x: s.x, stroke: k === 0 ? "#4269d0" : "#ff725c" })), Plot.ruleX([best.x[at]!], { strokeDasharray: "4,3" })],
        });
        bytes += plot.outerHTML.length;
      }
      if (i >= warmup || texts.length <= warmup) total += performance.now() - t0;
    });
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
  if (bytes === 0) return { error: "no figure drawn" };
  const count = texts.length > warmup ? texts.length - warmup : texts.length;
  return { ms: total / count, count };
}

/**
 * The archive index of a built site in Chromium: time to load (until the
 * enhanced table has read `/runs.json` and drawn its first page), then five
 * sorts by a numeric column and five filters, each timed three ways (medians):
 * the table's own work (its `runsite:table-render` event), that plus the
 * browser's layout of the new rows, and until the next frame is painted.
 */
async function measureIndex(site: string): Promise<BrowserResult> {
  const server = await serveStatic(site);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const t0 = performance.now();
    await page.goto(server.url, { waitUntil: "load" });
    await page.waitForSelector('table.experiments[data-state="ready"]', { timeout: 120_000 });
    const load = performance.now() - t0;
    const timings = await page.evaluate(async () => {
      const table = document.querySelector<HTMLElement>("table.experiments")!;
      const header = table.querySelector<HTMLButtonElement>("th.num button");
      const input = document.querySelector<HTMLInputElement>('input[name="q"]');
      if (header === null || input === null) return { error: `missing ${header === null ? "a sortable numeric header" : "the filter box"}` };
      const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      const timed = async (act: () => void) => {
        const t = performance.now();
        let script = Number.NaN;
        let layout = Number.NaN;
        let shown = Number.NaN;
        const done = (event: Event) => {
          const detail = (event as CustomEvent<{ ms: number; shown: number }>).detail;
          script = detail.ms;
          shown = detail.shown;
          void table.offsetHeight;
          layout = performance.now() - t;
        };
        table.addEventListener("runsite:table-render", done, { once: true });
        act();
        await frame();
        return { script, layout, painted: performance.now() - t, shown };
      };
      const mid = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
      const sorts = [];
      for (let i = 0; i < 5; i++) sorts.push(await timed(() => header.click()));
      const filters = [];
      for (const q of ["a", "ad", "ada", "adam", ""]) {
        filters.push(
          await timed(() => {
            input.value = q;
            input.dispatchEvent(new Event("input", { bubbles: true }));
          }),
        );
      }
      const pick = (list: { script: number; layout: number; painted: number }[]) => ({
        script: mid(list.map((x) => x.script)),
        layout: mid(list.map((x) => x.layout)),
        painted: mid(list.map((x) => x.painted)),
      });
      return { rows: sorts[0]!.shown, sort: pick(sorts), filter: pick(filters) };
    });
    if ("error" in timings) return { error: timings.error! };
    return { load, ...timings };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message.split("\n")[0]}` };
  } finally {
    await browser.close();
    await server.close();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor((sorted.length - 1) / 2)]!;
}

const fmt = (v: number | null | undefined, digits = 1) => (v === null || v === undefined || !Number.isFinite(v) ? "—" : v.toFixed(digits));
const floorMs = (f: FloorResult | null) => (f === null ? null : "error" in f.ms ? null : f.ms.total);

const mb = (bytes: number | undefined) => (bytes === undefined ? null : bytes / 1e6);
const kb = (bytes: number | undefined) => (bytes === undefined ? null : bytes / 1024);
const simplestMs = (r: Row | undefined) => (r === undefined || "error" in r.simplest ? null : r.simplest.ms);

/** The results as a Markdown table, one row per archive (what the script prints and writes). */
function formatTable(rows: readonly Row[]): string {
  const lines = [
    "| archive | experiments × rows | archive MB | build | total s | ms/experiment | peak RSS MB | site MB | files | index KB | median page KB | max page KB | simplest figure ms | runsite figure ms | rebuild s (%) |",
    "| --- | --: | --: | --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |",
  ];
  for (const r of rows) {
    const perExperiment = r.build.ok ? (r.build.seconds / r.spec.experiments) * 1000 : null;
    const st = r.build.siteStats ?? undefined;
    const rebuild = r.rebuild === null ? "—" : r.rebuild.ok && r.build.ok ? `${fmt(r.rebuild.seconds)} (${fmt((r.rebuild.seconds / r.build.seconds) * 100, 0)} %)` : "failed";
    lines.push(
      `| ${r.spec.name} | ${r.spec.experiments.toLocaleString("en-US")} × ${r.spec.rows.toLocaleString("en-US")} | ${fmt(r.archiveMb)} | ${r.build.ok ? "ok" : "**failed**"} | ${fmt(r.build.seconds)} | ${fmt(perExperiment)} | ${fmt(r.build.peakMb, 0)} | ${fmt(mb(st?.bytes))} | ${st === undefined ? "—" : st.files.toLocaleString("en-US")} | ${fmt(kb(st?.indexBytes))} | ${fmt(median(r.build.pages) / 1024)} | ${fmt(r.build.pages.length > 0 ? Math.max(...r.build.pages) / 1024 : null)} | ${fmt(simplestMs(r), 2)} | ${fmt(floorMs(r.floor), 2)} | ${rebuild} |`,
    );
  }
  return lines.join("\n");
}

/** Issue #17's targets against this run's numbers: one table. */
function formatTargets(rows: readonly Row[]): string {
  const byName = new Map(rows.map((r) => [r.spec.name, r]));
  const small = byName.get("1k");
  const large = byName.get("10k");
  const marginal = small?.build.ok && large?.build.ok ? ((large.build.seconds - small.build.seconds) / (large.spec.experiments - small.spec.experiments)) * 1000 : null;
  // The floor moves between runs (2.3–4.8 ms on the same tree): the ratio against each run's floor, judged on both.
  const floors = [simplestMs(large), simplestMs(small)];
  const ratios = floors.map((f) => (marginal !== null && f !== null ? marginal / f : null));
  const measured = ratios.filter((r): r is number => r !== null);
  const ratioVerdict =
    measured.length === 0 ? "not measured" : measured.every((r) => r <= 2) ? "**yes**" : measured.some((r) => r <= 2) ? "borderline: against one floor only" : "no";
  const share = (r: Row | undefined) => (r?.rebuild?.ok && r.build.ok ? (r.rebuild.seconds / r.build.seconds) * 100 : null);
  const browser = large?.browser ?? null;
  const b = browser !== null && !("error" in browser) ? browser : null;
  const verdict = (value: number | null, limit: number) => (value === null ? "not measured" : value <= limit ? "**yes**" : "no");
  const st = small?.build.siteStats ?? undefined;
  const target: [string, string, string, string][] = [
    ["1k site size", st === undefined ? "—" : `${fmt(mb(st.bytes))} MB in ${st.files.toLocaleString("en-US")} files`, "≤ 60 MB", verdict(mb(st?.bytes), 60)],
    ["1k `index.html`", `${fmt(kb(st?.indexBytes))} KB`, "≤ 400 KB", verdict(kb(st?.indexBytes), 400)],
    ["1k median experiment page", `${fmt(small ? median(small.build.pages) / 1024 : null)} KB`, "≤ 30 KB", verdict(small ? median(small.build.pages) / 1024 : null, 30)],
    ["marginal ms per experiment (1k → 10k)", fmt(marginal), "—", ""],
    ["simplest-figure floor, ms per experiment (10k run / 1k run)", `${fmt(floors[0], 2)} / ${fmt(floors[1], 2)}`, "—", ""],
    ["marginal ÷ floor (10k run's / 1k run's)", `${fmt(ratios[0])} / ${fmt(ratios[1])}`, "≤ 2 (stretch 1)", ratioVerdict],
    ["10k total", `${fmt(large?.build.seconds)} s`, "≤ 120 s", verdict(large?.build.ok ? large.build.seconds : null, 120)],
    ["10k peak RSS", `${fmt(large?.build.peakMb, 0)} MB`, "≤ 2 048 MB", verdict(large?.build.peakMb ?? null, 2048)],
    ["rebuild after one CSV changed, 1k", `${fmt(share(small), 0)} %`, "≤ 10 %", verdict(share(small), 10)],
    ["rebuild after one CSV changed, 10k", `${fmt(share(large), 0)} %`, "≤ 10 %", verdict(share(large), 10)],
    [
      "10k index in Chromium: sort (table's work / + layout / painted)",
      b === null
        ? browser !== null && "error" in browser
          ? browser.error
          : "—"
        : `${fmt(b.sort.script, 0)} / ${fmt(b.sort.layout, 0)} / ${fmt(b.sort.painted, 0)} ms (${b.rows.toLocaleString("en-US")} rows)`,
      "< 100 ms",
      verdict(b?.sort.layout ?? null, 99.999),
    ],
    [
      "10k index in Chromium: filter (same)",
      b === null ? "—" : `${fmt(b.filter.script, 0)} / ${fmt(b.filter.layout, 0)} / ${fmt(b.filter.painted, 0)} ms`,
      "< 100 ms",
      verdict(b?.filter.layout ?? null, 99.999),
    ],
    ["10k index in Chromium: load", b === null ? "—" : `${fmt(b.load, 0)} ms`, "—", ""],
  ];
  return ["| measure | this run | target | reached |", "| --- | --: | --- | --- |", ...target.map((t) => `| ${t.join(" | ")} |`)].join("\n");
}

/** The details below the table: each build's outcome and the floor's breakdown. */
function formatNotes(rows: readonly Row[]): string {
  const lines: string[] = [];
  for (const r of rows) {
    lines.push(`- **${r.spec.name}** build: ${r.build.outcome.replaceAll("|", "\\|")}`);
    if (r.build.timings !== null) lines.push(`  - phases (s): ${r.build.timings}`);
    if (r.build.siteStats !== null) {
      const top = r.build.siteStats.byFolder.slice(0, 8).map(([name, bytes]) => `${name} ${fmt(bytes / 1e6)}`);
      lines.push(`  - site MB by folder: ${top.join(", ")}`);
    }
    if (r.rebuild !== null) {
      const share = r.build.ok && r.rebuild.ok ? ` = ${fmt((r.rebuild.seconds / r.build.seconds) * 100, 0)} % of the full build` : "";
      lines.push(`  - rebuild after one CSV gained a row (warm caches): ${fmt(r.rebuild.seconds)} s${share}; ${r.rebuild.outcome.replaceAll("|", "\\|")}`);
      if (r.rebuild.timings !== null) lines.push(`  - rebuild phases (s): ${r.rebuild.timings}`);
    }
    if ("error" in r.simplest) lines.push(`  - simplest figure: ${r.simplest.error}`);
    else
      lines.push(`  - simplest figure (one Plot.plot per metric: two lines and a rule; jsdom; serialised) over ${r.simplest.count} files: ${fmt(r.simplest.ms, 2)} ms/experiment`);
    for (const [label, f] of [
      ["runsite's figure", r.floor],
      ["runsite's figure with m4 (250 columns)", r.floorM4],
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
      index: { type: "string" },
    },
  });
  if (values.index !== undefined) {
    // Only the Chromium step, on a site already built: node scripts/bench.ts --index <site>
    console.log(JSON.stringify(await measureIndex(path.resolve(values.index)), null, 2));
    return;
  }
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
      if ((name === "1k" || name === "10k") && build.ok) {
        // A training writes one more epoch to one file: what does a rebuild cost?
        const [first] = await listHistories(runs);
        const text = await readFile(first!, "utf8");
        const last = text.trimEnd().split("\r\n").at(-1)!;
        await writeFile(first!, `${text}${Number(last.split(",")[0]) + 1}${last.slice(last.indexOf(","))}\r\n`);
        rebuild = await runBuild(pkg, archiveDir, runs, Number(values.timeout));
        console.error(`bench: ${name}: rebuild after one CSV changed: ${rebuild.outcome} (${rebuild.seconds.toFixed(1)} s)`);
      }
      const browser = name === "10k" && build.ok ? await measureIndex(path.join(archiveDir, "site")) : null;
      if (browser !== null) console.error(`bench: ${name}: index in Chromium: ${JSON.stringify(browser)}`);
      const files = (await listHistories(runs)).slice(0, name === "long" ? 3 : floorCount);
      const floor = await measureFloor(runs, files, { warmup: name === "long" ? 0 : 5 });
      const floorM4 = spec.rows > 4 * 250 ? await measureFloor(runs, files, { warmup: 0, downsample: true }) : null;
      const texts = await Promise.all(files.map(async (f) => ({ file: f, text: await readFile(f, "utf8") })));
      const simplest = measureSimplestFigure(runs, texts, name === "long" ? 0 : 5);
      rows.push({ spec, archiveMb: bytes / 1e6, build, floor, floorM4, rebuild, simplest, browser });
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
    formatTargets(rows),
    "",
    formatTable(rows),
    "",
    formatNotes(rows),
  ].join("\n");
  console.log(generated);
  if (values.write) console.error(`bench: wrote ${await writeReport(generated)}`);
}

await main();
