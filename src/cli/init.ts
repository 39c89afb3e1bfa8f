import { appendFile, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { buildArchive } from "../core/archive.ts";
import { normalizeConfig } from "../core/config.ts";
import { nameDirection } from "../core/direction.ts";
import { compareStrings } from "../core/diagnostics.ts";
import { detectLayout, runPath } from "../core/layout.ts";
import { gitignoreLines, scaffoldFiles } from "../core/scaffold.ts";
import { runsiteVersion } from "../io/codeVersion.ts";
import { readSources, scanRuns } from "../io/scan.ts";
import { exitCodes } from "./errors.ts";
import type { CliValues } from "./main.ts";

/** Folders `init` looks for logs in, in this order, when `--runs` is not given. */
const runFolders = ["runs", "logs", "run", "experiments", "outputs", "mlruns", "lightning_logs", "results"];

/**
 * `runsite init [DIR]`: scaffolds an archive repository in DIR (default: the
 * working folder) from the logs it finds there. Never overwrites a file (says
 * what it skipped), never prompts.
 */
export async function initCommand(dir: string | undefined, values: CliValues, log: (line: string) => void = console.log): Promise<number> {
  const root = path.resolve(dir ?? ".");
  await mkdir(root, { recursive: true });
  const runs = values.runs ?? (await firstFolder(root, runFolders)) ?? "runs";
  const runsPath = path.resolve(root, runs);
  const relativeRuns = path.relative(root, runsPath).split(path.sep).join("/") || ".";
  const config = normalizeConfig({ runs: relativeRuns });
  const found = (await isDirectory(runsPath)) ? await scanRuns(runsPath, config.extensions) : [];
  const archive = buildArchive(await readSources(found, { maxBytes: config.maxFileSize }), config, {});
  const metrics = [...new Set(archive.experiments.flatMap((e) => e.history.series.filter((s) => s.role === "metric").map((s) => s.metric)))].sort(compareStrings);
  const layout = detectLayout(archive.experiments.map((e) => runPath(e.info.file)));
  if (archive.experiments.length === 0) {
    log(
      `runsite init: no training logs found in ${relativeRuns}/ (looked for ${runFolders.join(", ")}; pass --runs DIR). Writing the scaffold anyway: put your logs in ${relativeRuns}/ and run runsite build.`,
    );
  } else {
    log(
      `runsite init: ${archive.experiments.length} runs in ${relativeRuns}/ (${found.length} files), ${metrics.length} metrics; layout ${layout === null ? "read run by run (no single pattern fits every path)" : `"${layout}"`}`,
    );
  }
  const files = scaffoldFiles({
    runs: relativeRuns,
    layout,
    title: `${path.basename(root)} experiments`,
    metrics: metrics.map((name) => ({ name, direction: nameDirection(name) })),
    version: runsiteVersion(),
    out: "dist",
    cacheDir: config.cacheDir,
  });
  for (const file of files) {
    const target = path.join(root, file.path);
    if (await stat(target).catch(() => null)) {
      log(`  skipped ${file.path} (exists)`);
      continue;
    }
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.content, { flag: "wx" });
    log(`  wrote   ${file.path}`);
  }
  const gitignore = path.join(root, ".gitignore");
  const existing = (await readFile(gitignore, "utf8").catch(() => "")).split(/\r?\n/).map((l) => l.trim());
  const missing = gitignoreLines({ out: "dist", cacheDir: config.cacheDir }).filter((line) => !existing.includes(line) && !existing.includes(line.replace(/^\//, "")));
  if (missing.length > 0) {
    const before = existing.join("").length > 0 && !(await readFile(gitignore, "utf8")).endsWith("\n") ? "\n" : "";
    await appendFile(gitignore, `${before}${missing.join("\n")}\n`);
    log(`  ${existing.join("").length > 0 ? "added to" : "wrote  "} .gitignore: ${missing.join(" ")}`);
  } else log("  skipped .gitignore (has the output and cache folders)");
  log("next: npx runsite build   (then npx runsite dev for a live preview)");
  return exitCodes.ok;
}

async function firstFolder(root: string, names: readonly string[]): Promise<string | undefined> {
  for (const name of names) if (await isDirectory(path.join(root, name))) return name;
  return undefined;
}

async function isDirectory(dir: string): Promise<boolean> {
  return (await stat(dir).catch(() => null))?.isDirectory() ?? false;
}
