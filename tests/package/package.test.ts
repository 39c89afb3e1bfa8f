// The npm package as users get it: `npm pack`, installed into an empty
// project, run on a stranger's lab (real logs of other tools, laid out as the
// tools write them), and used as an integration inside an existing Astro site.
import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser.ts";
import { tempDir, userEnv } from "../support/cli.ts";
import { fixturePath, repoRoot } from "../support/fixtures.ts";
import { serveStatic } from "../support/serve.ts";

const run = promisify(execFile);

/** Runs a command in `cwd` as a user's shell would; resolves with its exit code and output, never rejects on a non-zero exit. */
async function sh(command: string, args: string[], cwd: string, env = userEnv()): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd, env, maxBuffer: 64 * 2 ** 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** Every `index.html` below `dir`, relative, with forward slashes. */
async function pages(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && e.name === "index.html")
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .sort();
}

/** The runs of the fixture lab: one page each. */
const labRuns = 8; // 2 Ultralytics, 2 Lightning versions, 1 Hugging Face output (3 checkpoints), 1 Keras history.csv, 2 seed-layout runs

describe("the npm package (npm pack → npm install → npx runsite)", () => {
  let tarball = "";
  let files: string[] = [];
  let project = "";
  const npm = "npm";

  beforeAll(async () => {
    const out = await tempDir("runsite-pack-");
    const packed = await sh(npm, ["pack", "--json", "--pack-destination", out], repoRoot);
    expect(packed.code, packed.stderr).toBe(0);
    const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(out, info!.filename);
    files = info!.files.map((f) => f.path).sort();
    project = await tempDir("runsite-user-");
    await writeFile(path.join(project, "package.json"), `${JSON.stringify({ name: "my-lab", private: true, type: "module" }, null, 2)}\n`);
    const installed = await sh(npm, ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], project);
    expect(installed.code, installed.stderr).toBe(0);
    await cp(fixturePath("lab"), path.join(project, "logs"), { recursive: true });
  }, 400_000);

  it("holds what runs and nothing else: bin, compiled lib, public files, package.json, README, LICENSE", () => {
    const top = [...new Set(files.map((f) => f.split("/")[0]))].sort();
    expect(top).toEqual(["LICENSE", "README.md", "bin", "lib", "package.json", "public"]);
    expect(files).toContain("public/favicon.svg");
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
    expect(files).toContain("lib/cli/main.js");
    expect(files).toContain("lib/astro/routes/experiment.astro");
  });

  it("npx runsite --version prints the package's version", async () => {
    const { version } = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as { version: string };
    const result = await sh("npx", ["runsite", "--version"], project);
    expect(result.stdout.trim()).toBe(`runsite ${version}`);
  });

  it("npx runsite init scaffolds the lab: config with the runs folder, every metric, workflow pinned to this version; never overwrites", async () => {
    const first = await sh("npx", ["runsite", "init"], project);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`${labRuns} runs in logs/`);
    const config = JSON.parse(await readFile(path.join(project, "runsite.config.json"), "utf8")) as { runs: string; layout?: string };
    expect(config.runs).toBe("logs");
    // A mixed lab has no single pattern: the layout is read run by run.
    expect(config.layout).toBeUndefined();
    const metrics = await readFile(path.join(project, "content/labels/metrics.yml"), "utf8");
    expect(metrics).toMatch(/^loss:\n {2}label: loss\n {2}direction: min$/m);
    expect(metrics).toMatch(/^categorical_accuracy:\n {2}label: categorical_accuracy\n {2}direction: max$/m);
    const { version } = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as { version: string };
    expect(await readFile(path.join(project, ".github/workflows/pages.yml"), "utf8")).toContain(`npx --yes runsite@${version} build`);
    expect(await readFile(path.join(project, ".gitignore"), "utf8")).toBe("/dist/\n/.runsite-cache/\n");
    expect(existsSync(path.join(project, "content/notes/_example.md"))).toBe(true);
    await writeFile(path.join(project, "content/labels/metrics.yml"), "# mine\n");
    const again = await sh("npx", ["runsite", "init"], project);
    expect(again.stdout).toContain("skipped content/labels/metrics.yml (exists)");
    expect(await readFile(path.join(project, "content/labels/metrics.yml"), "utf8")).toBe("# mine\n");
    expect(await readFile(path.join(project, ".gitignore"), "utf8")).toBe("/dist/\n/.runsite-cache/\n");
  }, 120_000);

  describe("npx runsite build --runs logs (a stranger's lab)", () => {
    let dist = "";
    let build = { code: -1, stdout: "", stderr: "" };
    beforeAll(async () => {
      build = await sh("npx", ["runsite", "build", "--runs", "logs"], project);
      dist = path.join(project, "dist");
    }, 300_000);

    it("builds one page per run, with no fatal problem", async () => {
      expect(build.code, build.stderr).toBe(0);
      expect(build.stdout).toMatch(new RegExp(`, ${labRuns} experiments, ${labRuns} pages written, `));
      expect((await pages(path.join(dist, "experiments"))).length).toBe(labRuns);
    });

    it("titles every page distinctly, none of them just a file name", async () => {
      const titles: string[] = [];
      for (const page of await pages(path.join(dist, "experiments"))) {
        const html = await readFile(path.join(dist, "experiments", page), "utf8");
        titles.push(/<h1>([^<]*)<\/h1>/.exec(html)![1]!);
      }
      expect(new Set(titles).size).toBe(labRuns);
      for (const title of titles) expect(title).not.toMatch(/^(results|metrics|history|trainer_state|events)(\.\w+)?$/);
      expect(titles).toEqual(
        expect.arrayContaining(["yolo / sgdtest3", "yolo / train", "lightning / version_0", "lightning / version_1", "hf / results", "keras / digit-recognizer"]),
      );
    });

    it("shows hyperparameters from args.yaml and hparams.yaml on their pages", async () => {
      const yolo = await readFile(path.join(dist, "experiments/yolo/runs/detect/sgdtest3/results/index.html"), "utf8");
      expect(yolo).toContain("args.yaml");
      expect(yolo).toMatch(/optimizer[\s\S]{0,200}SGD/);
      const lightning = await readFile(path.join(dist, "experiments/lightning/lightning_logs/version_1/metrics/index.html"), "utf8");
      expect(lightning).toContain("hparams.yaml");
      expect(lightning).toMatch(/hidden_sz[\s\S]{0,200}1024/);
    });

    it("carries no sample content: no labels, notes or references of runsite's own archive", async () => {
      const entries = await readdir(dist, { recursive: true, withFileTypes: true });
      const html = entries.filter((e) => e.isFile() && /\.(html|bib|json)$/.test(e.name)).map((e) => path.join(e.parentPath, e.name));
      for (const file of html) {
        const text = await readFile(file, "utf8");
        for (const sample of ["Multilabel Balanced Dice", "Ronneberger", "Milletari", "multilabel-balanced-dice-loss", "Attention U-Net"]) {
          expect(text.includes(sample), `${path.relative(dist, file)} contains "${sample}"`).toBe(false);
        }
      }
    });

    it("in Chromium, the index shows the columns the layout provides and links every page", async () => {
      const server = await serveStatic(dist);
      const browser = await launchBrowser();
      try {
        const page = await browser.newPage();
        await page.goto(server.url, { waitUntil: "load" });
        const headers = await page.locator("table.experiments thead th").allTextContents();
        // The first column holds the "compare" checkboxes; sortable headers end in an arrow.
        const names = headers.map((h) => h.trim().replace(/\s*[↑↓↕▲▼]\s*$/, "")).filter((h) => h !== "Compare");
        expect(names.slice(0, 6)).toEqual(["Experiment", "Date", "Project", "Model", "Dataset", "Optimizer"]);
        const links = await page.locator("table.experiments tbody td.stem a").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
        const expected = (await pages(path.join(dist, "experiments"))).map((p) => `/experiments/${p.replace(/index\.html$/, "")}`);
        expect([...links].sort()).toEqual(expected);
        for (const link of links) {
          const response = await page.goto(new URL(link, server.url).href);
          expect(response?.status(), link).toBe(200);
        }
        // The project pages exist, and there are no empty facet kinds.
        expect((await pages(path.join(dist, "projects"))).length).toBeGreaterThan(0);
      } finally {
        await browser.close();
        await server.close();
      }
    }, 120_000);
  });

  it("works as an Astro integration inside an existing Astro site, under a route prefix", async () => {
    await mkdir(path.join(project, "src/pages"), { recursive: true });
    await writeFile(path.join(project, "src/pages/index.astro"), '---\n---\n<html><body><h1>Our lab</h1><a href="/runs/">Training runs</a></body></html>\n');
    await writeFile(
      path.join(project, "astro.config.mjs"),
      'import { defineConfig } from "astro/config";\nimport runsite from "runsite/integration";\n\nexport default defineConfig({ outDir: "site", integrations: [runsite({ runs: "logs", prefix: "runs" })] });\n',
    );
    const result = await sh("npx", ["astro", "build"], project);
    expect(result.code, result.stderr + result.stdout).toBe(0);
    const site = path.join(project, "site");
    expect(await readFile(path.join(site, "index.html"), "utf8")).toContain("<h1>Our lab</h1>");
    const index = await readFile(path.join(site, "runs/index.html"), "utf8");
    expect(index).toContain('href="/runs/experiments/keras/digit-recognizer/history/"');
    expect((await pages(path.join(site, "runs/experiments"))).length).toBe(labRuns);
    expect(existsSync(path.join(site, "runs/pagefind"))).toBe(true);
    expect(existsSync(path.join(site, "experiments"))).toBe(false);
  }, 300_000);

  it("on a Node older than 22.12, the installed bin says which Node it needs and exits 2", async (context) => {
    const old = oldNode();
    if (old === null) return context.skip("no Node older than 22.12 on this machine (set RUNSITE_OLD_NODE to one)");
    const result = await sh(old.path, [path.join(project, "node_modules/runsite/bin/runsite.mjs"), "build"], project);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`runsite needs Node.js >= 22.12 (this is ${old.version}):`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  afterAll(() => {});
});

/** A Node binary older than 22.12 (the machines here ship 20), or `null`. */
function oldNode(): { path: string; version: string } | null {
  const candidates = [
    process.env["RUNSITE_OLD_NODE"],
    ...(process.env["PATH"] ?? "").split(path.delimiter).map((dir) => path.join(dir, "node")),
    "/usr/bin/node",
    "/usr/local/bin/node",
  ];
  for (const candidate of candidates) {
    if (candidate === undefined || !existsSync(candidate)) continue;
    try {
      const version = execFileSync(candidate, ["--version"], { encoding: "utf8" }).trim().replace(/^v/, "");
      const [major = 0, minor = 0] = version.split(".").map(Number);
      if (major < 22 || (major === 22 && minor < 12)) return { path: candidate, version };
    } catch {
      // not runnable: try the next
    }
  }
  return null;
}
