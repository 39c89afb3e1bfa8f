import { parseArgs } from "node:util";
import { buildCommand, devCommand } from "./build.ts";
import { initCommand } from "./init.ts";
import { inspectCommand } from "./inspect.ts";
import { exportCommand } from "./export.ts";
import { CliError, exitCodes } from "./errors.ts";
import { runsiteVersion } from "../io/codeVersion.ts";

export { exitCodes } from "./errors.ts";

const usage = `usage: runsite init [DIR] [--runs DIR]
       runsite build [--runs DIR] [--content DIR] [--out DIR] [--site URL] [--base PATH] [--strict]
       runsite inspect FILE|FOLDER [--json] [--min-delta X] [--patience 0,3,10] [--semantics keras3|keras3.6|tf2] [--format F] [--content DIR]
       runsite dev [--runs DIR] [--content DIR] [--port N] [--base PATH]
       runsite export --pdf [RUN...] [--dark] [--out DIR] [--runs DIR] [--content DIR]
       runsite --help | --version

init      Sets up an archive repository in DIR (default: here) for the logs in it: runsite.config.json
          (runs folder, layout), content/labels/metrics.yml (every metric found), content/notes/,
          content/bibliography/, .github/workflows/pages.yml and .gitignore lines. Never overwrites a file.
  --runs DIR       the run tree (default: the first of runs, logs, run, experiments, outputs, … that exists)

build     Builds a static site from a tree of training histories.
  --runs DIR       the run tree (default: runs, or "runs" in runsite.config.json)
  --content DIR    labels, notes and bibliography (default: content)
  --out DIR        where the site is written (default: dist)
  --site URL       the site's origin, for canonical links (e.g. https://lab.github.io)
  --base PATH      the path the site is served under (e.g. /fat-unet/)
  --strict         exit with code 1 when any file has a problem

dev       Serves a live preview (default port 4321): reloading a page re-reads changed histories.

export    Writes each RUN's figure (a history file or a page's slug; default: every experiment) as a
          vector PDF for a paper, printed by Chromium through Playwright (needs both installed).
  --pdf            the figure as PDF, one page the figure's size, opaque background
  --dark           the dark variant (light text on a dark background), for slides
  --out DIR        where the PDFs are written, as <slug>.pdf (default: figures)

inspect   Reads one history file and prints its series and early-stopping analysis.
  --json           print the machine-readable document (default: a table)
  --min-delta X    smallest improvement (Keras min_delta; default 0.005)
  --patience LIST  patiences to replay (default 0,3,10)
  --semantics S    keras3 (default) or tf2
  --format F       force a format: keras, lightning, ultralytics, huggingface, fastai, tensorboard,
                   keras-history, jsonl, mlflow, yolo-txt, simpletransformers, wandb-export, ludwig,
                   nnunet, hf-summary

Exit codes: 0 done; 1 the build failed, --strict found problems, or inspect could not read the file;
2 usage or configuration error.`;

const options = {
  runs: { type: "string" },
  content: { type: "string" },
  out: { type: "string" },
  site: { type: "string" },
  base: { type: "string" },
  strict: { type: "boolean" },
  json: { type: "boolean" },
  "min-delta": { type: "string" },
  patience: { type: "string" },
  semantics: { type: "string" },
  format: { type: "string" },
  port: { type: "string" },
  pdf: { type: "boolean" },
  dark: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

/** The parsed command line. */
export type CliValues = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>["values"];

/** Runs the command line; returns the exit code. Prints, never throws. */
export async function main(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options });
    if (values.help) {
      console.log(usage);
      return exitCodes.ok;
    }
    if (values.version) {
      console.log(`runsite ${runsiteVersion()}`);
      return exitCodes.ok;
    }
    const [command = "build", ...rest] = positionals;
    if (command === "build" && rest.length === 0) return await buildCommand(values);
    if (command === "dev" && rest.length === 0) return await devCommand(values);
    if (command === "inspect" && rest.length === 1) return await inspectCommand(rest[0]!, values);
    if (command === "init" && rest.length <= 1) return await initCommand(rest[0], values);
    if (command === "export") return await exportCommand(rest, values);
    throw new CliError(`unknown command: ${positionals.join(" ")}`, exitCodes.usage);
  } catch (error) {
    const code = error instanceof CliError ? error.code : (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") ? exitCodes.usage : exitCodes.problems;
    console.error(`runsite: ${(error as Error).message}${code === exitCodes.usage ? `\n\n${usage}` : ""}`);
    return code;
  }
}
