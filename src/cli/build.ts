import { mkdir, mkdtemp, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import runsite from "../astro/integration.ts";
import { normalizeConfig, type Config, type ConfigSpec } from "../core/config.ts";
import { CliError, exitCodes } from "./errors.ts";
import { terminalProgress } from "./progress.ts";
import type { Progress } from "../io/loadSite.ts";
import type { CliValues } from "./main.ts";

/** `runsite build`: config file + flags → Astro build of runsite's own pages. */
export async function buildCommand(values: CliValues): Promise<number> {
  const cwd = process.cwd();
  const config = await loadConfig(cwd, values);
  if (!(await isDirectory(config.runs))) {
    throw new CliError(`runs folder not found: ${config.runs} (expected a folder of training histories; pass --runs DIR)`);
  }
  const packageRoot = fileURLToPath(new URL("../../", import.meta.url));
  // Astro writes its prerender bundle into the working folder and imports
  // astro, Plot and jsdom from there, so the build must run inside runsite's
  // own folder; a fresh subfolder per build lets two builds run at once.
  await mkdir(path.join(packageRoot, ".runsite-cache"), { recursive: true });
  const work = await mkdtemp(path.join(packageRoot, ".runsite-cache", "build-"));
  process.chdir(work);
  // Vite reads BASE_URL from the environment over the configured base (a test
  // runner or CI may set it); the base comes from --base or the config only.
  delete process.env["BASE_URL"];
  const outDir = path.resolve(cwd, values.out ?? "dist");
  const previous = await setAsideOutput(outDir, cwd);
  // Imported here: loading Astro costs a second that --help should not pay.
  const { build } = await import("astro");
  try {
    await build({
      root: packageRoot,
      configFile: false,
      outDir,
      // Pages wait for their figure (drawn by the workers) and read files:
      // several in flight keep the main thread busy meanwhile.
      build: { concurrency: 8 },
      ...(values.site !== undefined ? { site: values.site } : {}),
      ...(values.base !== undefined ? { base: values.base } : {}),
      // Astro's cache beside the user's output, not inside runsite's own folder.
      cacheDir: path.resolve(cwd, ".runsite-cache/astro"),
      logLevel: "warn",
      integrations: [runsite(config, { report: (line) => console.log(line), previousOutput: previous, root: cwd, ...withProgress() })],
    });
  } catch (error) {
    throw new CliError((error as Error).message, exitCodes.problems);
  } finally {
    process.chdir(cwd);
    await Promise.all([rm(work, { recursive: true, force: true }), previous === null ? null : removeAside(previous)]);
  }
  return exitCodes.ok;
}

/**
 * Moves the previous output folder aside, so that the build can move its
 * unchanged pages over (see `io/incremental.ts`) and it can be deleted
 * afterwards without blocking: Astro empties the output folder with a
 * synchronous delete that stops the build for seconds on a large site (6 s
 * for 9 000 files). Returns the folder's new path, or null where there is
 * nothing to move or it cannot be moved (another file system, the working
 * folder inside it): Astro then empties the folder as before.
 */
async function setAsideOutput(outDir: string, cwd: string): Promise<string | null> {
  if (!path.relative(outDir, cwd).startsWith("..")) return null;
  const aside = `${outDir}.runsite-old-${process.pid}-${Date.now()}`;
  try {
    await rename(outDir, aside);
    return aside;
  } catch {
    return null;
  }
}

async function removeAside(aside: string): Promise<void> {
  await rm(aside, { recursive: true, force: true }).catch((error: Error) => console.warn(`runsite: could not delete the previous output ${aside}: ${error.message}`));
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
  const packageRoot = fileURLToPath(new URL("../../", import.meta.url));
  delete process.env["BASE_URL"];
  const { dev } = await import("astro");
  const server = await dev({
    root: packageRoot,
    configFile: false,
    cacheDir: path.resolve(cwd, ".runsite-cache/astro"),
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
