import { parseArgs } from "node:util";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import runsite from "../astro/integration.ts";
import { normalizeConfig, type ConfigSpec } from "../core/config.ts";

/** Exit codes: documented in the README. */
export const exitCodes = { ok: 0, problems: 1, usage: 2 } as const;

const usage = `usage: runsite build [--runs DIR] [--content DIR] [--out DIR] [--site URL] [--base PATH] [--strict]

Builds a static site from a tree of training histories.

  --runs DIR      the run tree (default: runs, or "runs" in runsite.config.json)
  --content DIR   labels, notes and bibliography (default: content)
  --out DIR       where the site is written (default: dist)
  --site URL      the site's origin, for canonical links (e.g. https://lab.github.io)
  --base PATH     the path the site is served under (e.g. /fat-unet/)
  --strict        exit with code 1 when any file has a problem
  --help          print this help

Exit codes: 0 built; 1 built but --strict found problems, or the build failed; 2 usage or config error.`;

/** Runs the command line; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        runs: { type: "string" },
        content: { type: "string" },
        out: { type: "string" },
        site: { type: "string" },
        base: { type: "string" },
        strict: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    console.error(`runsite: ${(error as Error).message}\n\n${usage}`);
    return exitCodes.usage;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(usage);
    return exitCodes.ok;
  }
  const [command = "build", ...rest] = positionals;
  if (command !== "build" || rest.length > 0) {
    console.error(`runsite: unknown command: ${[command, ...rest].join(" ")}\n\n${usage}`);
    return exitCodes.usage;
  }
  const cwd = process.cwd();
  let config;
  try {
    const file = await readConfigFile(cwd);
    const spec: ConfigSpec = { ...file };
    if (values.runs !== undefined) spec.runs = values.runs;
    if (values.content !== undefined) spec.content = values.content;
    if (values.strict) spec.strict = true;
    config = normalizeConfig(spec);
  } catch (error) {
    console.error((error as Error).message);
    return exitCodes.usage;
  }
  // Paths are resolved against the folder runsite is run from, so that
  // `npx runsite build --runs ~/my-lab/run` works anywhere.
  config.runs = path.resolve(cwd, config.runs);
  config.content = path.resolve(cwd, config.content);
  if (!(await isDirectory(config.runs))) {
    console.error(`runsite: runs folder not found: ${config.runs} (expected a folder of training histories; pass --runs DIR)`);
    return exitCodes.usage;
  }
  const packageRoot = fileURLToPath(new URL("../../", import.meta.url));
  // Astro writes the prerender bundle under the working folder and imports
  // astro, Plot and jsdom from there, so it must run where runsite is installed.
  process.chdir(packageRoot);
  try {
    // Imported here: loading Astro costs a second that --help should not pay.
    const { build } = await import("astro");
    await build({
      root: packageRoot,
      configFile: false,
      outDir: path.resolve(cwd, values.out ?? "dist"),
      ...(values.site !== undefined ? { site: values.site } : {}),
      ...(values.base !== undefined ? { base: values.base } : {}),
      // Astro's cache beside the user's output, not inside runsite's own folder.
      cacheDir: path.resolve(cwd, ".runsite-cache/astro"),
      logLevel: "warn",
      integrations: [runsite(config, { report: (line) => console.log(line) })],
    });
  } catch (error) {
    console.error(`runsite: ${(error as Error).message}`);
    return exitCodes.problems;
  }
  return exitCodes.ok;
}

/** `runsite.config.json` in the working folder, if there is one. */
async function readConfigFile(cwd: string): Promise<Record<string, unknown>> {
  const file = path.join(cwd, "runsite.config.json");
  const text = await readFile(file, "utf8").catch(() => null);
  if (text === null) return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`runsite config: ${file}: ${(error as Error).message}`);
  }
}

async function isDirectory(dir: string): Promise<boolean> {
  return (await stat(dir).catch(() => null))?.isDirectory() ?? false;
}
