import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import runsite from "../astro/integration.ts";
import { normalizeConfig, type Config, type ConfigSpec } from "../core/config.ts";
import { CliError, exitCodes } from "./errors.ts";
import { terminalProgress } from "./progress.ts";
import type { Progress } from "../io/loadSite.ts";
import { stageOutput } from "../io/output.ts";
import { reportTiming } from "../io/timings.ts";
import type { CliValues } from "./main.ts";

/** `runsite build`: config file + flags → Astro build of runsite's own pages. */
export async function buildCommand(values: CliValues): Promise<number> {
  const cwd = process.cwd();
  const config = await loadConfig(cwd, values);
  if (!(await isDirectory(config.runs))) {
    throw new CliError(`runs folder not found: ${config.runs} (expected a folder of training histories; pass --runs DIR)`);
  }
  const outDir = path.resolve(cwd, values.out ?? "dist");
  for (const [name, dir] of [
    ["the folder you run runsite in", cwd],
    ["the runs folder", config.runs],
    ["the content folder", config.content],
  ] as const) {
    if (!path.relative(outDir, dir).startsWith("..") && path.relative(outDir, dir) !== dir) {
      throw new CliError(`--out ${values.out ?? "dist"} contains ${name}, which a build would replace (expected an output folder of its own, e.g. dist)`);
    }
  }
  // The site is built into a staging folder and replaces the output only when
  // the build succeeded (io/output.ts): a failed or killed build leaves the
  // previous site as it was, and its unchanged pages are linked from it.
  const output = await stageOutput(outDir, config.cacheDir);
  // Imported here: loading Astro costs a second that --help should not pay.
  const { build } = await import("astro");
  try {
    await build({
      ...astroOptions(cwd, config),
      outDir: output.staging,
      // Pages wait for their figure (drawn by the workers) and read files:
      // several in flight keep the main thread busy meanwhile.
      build: { concurrency: 8 },
      ...(values.site !== undefined ? { site: values.site } : {}),
      ...(values.base !== undefined ? { base: values.base } : {}),
      logLevel: "warn",
      integrations: [runsite(config, { report: (line) => console.log(line), previousOutput: (await isDirectory(outDir)) ? outDir : null, outDir, root: cwd, ...withProgress() })],
    });
  } catch (error) {
    await output.abort();
    throw new CliError((error as Error).message, exitCodes.problems);
  }
  const built = performance.now();
  await output.commit();
  reportTiming(`Astro done, output swapped ${((performance.now() - built) / 1000).toFixed(1)}`);
  return exitCodes.ok;
}

/**
 * The Astro options of runsite's own site: the project root is runsite's own
 * folder (Astro compiles the styles of .astro files only below its root), the
 * routes come from the integration, the output and the caches go where the
 * user runs runsite.
 */
function astroOptions(cwd: string, config: Config) {
  const packageRoot = fileURLToPath(new URL("../../", import.meta.url));
  return {
    root: packageRoot,
    configFile: false as const,
    publicDir: path.join(packageRoot, "public"),
    // Astro's and Vite's caches beside the user's output, not inside runsite's own folder.
    cacheDir: path.join(config.cacheDir, "astro"),
    vite: {
      // The output folder is a fresh staging folder (see io/output.ts): nothing to empty, and its node_modules link must stay.
      build: { emptyOutDir: false },
      // The dev server serves runsite's routes and components from its install folder.
      server: { fs: { allow: [packageRoot, cwd] } },
    },
  };
}

/**
 * `runsite dev`: a live preview of the run tree. Pages re-read the histories
 * that changed on every request, so reloading a page shows the epochs a
 * running training has just written.
 */
export async function devCommand(values: CliValues): Promise<number> {
  const cwd = process.cwd();
  const config = await loadConfig(cwd, values);
  if (!(await isDirectory(config.runs))) {
    throw new CliError(`runs folder not found: ${config.runs} (expected a folder of training histories; pass --runs DIR)`);
  }
  const port = values.port === undefined ? 4321 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`invalid --port: ${values.port} (expected a port number)`);
  const { dev } = await import("astro");
  const server = await dev({
    ...astroOptions(cwd, config),
    ...(values.base !== undefined ? { base: values.base } : {}),
    server: { port, host: "127.0.0.1" },
    logLevel: "warn",
    integrations: [runsite(config, { root: cwd })],
  });
  const { port: actual } = server.address;
  console.log(`runsite: previewing ${config.runs} at http://127.0.0.1:${actual}${values.base ?? "/"} (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    const stop = () => void server.stop().then(resolve);
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return exitCodes.ok;
}

/** Config files looked for in the working folder, in this order. */
export const configFiles = ["runsite.config.mjs", "runsite.config.js", "runsite.config.ts", "runsite.config.json"] as const;

/**
 * The first of `configFiles` in `cwd` (a module's default export, or JSON),
 * merged with the flags and validated. Paths are resolved against `cwd`, so
 * that `npx runsite build --runs ~/my-lab/run` works from any folder.
 */
export async function loadConfig(cwd: string, values: CliValues): Promise<Config> {
  let spec: ConfigSpec = {};
  for (const name of configFiles) {
    const file = path.join(cwd, name);
    if (!(await stat(file).catch(() => null))?.isFile()) continue;
    spec = await readConfigFile(file);
    break;
  }
  if (values.runs !== undefined) spec.runs = values.runs;
  if (values.content !== undefined) spec.content = values.content;
  if (values.strict) spec.strict = true;
  let config: Config;
  try {
    config = normalizeConfig(spec);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  return { ...config, runs: path.resolve(cwd, config.runs), content: path.resolve(cwd, config.content), cacheDir: path.resolve(cwd, config.cacheDir) };
}

async function readConfigFile(file: string): Promise<ConfigSpec> {
  try {
    if (file.endsWith(".json")) return JSON.parse(await readFile(file, "utf8")) as ConfigSpec;
    const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    if (module.default === undefined || typeof module.default !== "object") throw new Error("expected a default export of the configuration object");
    return module.default as ConfigSpec;
  } catch (error) {
    throw new CliError(`runsite config: ${file}: ${(error as Error).message}`);
  }
}

function withProgress(): { progress?: Progress } {
  const progress = terminalProgress(process.stderr);
  return progress ? { progress } : {};
}

async function isDirectory(dir: string): Promise<boolean> {
  return (await stat(dir).catch(() => null))?.isDirectory() ?? false;
}
