import { stringify } from "yaml";
import type { StopMode } from "./earlyStopping.ts";

/** What `runsite init` found in a run tree. */
export interface ScaffoldSpec {
  /** The run tree, relative to the archive folder, e.g. `"logs"`. */
  runs: string;
  /** The layout detected (`detectLayout`), or `null` to leave it to the automatic reading. */
  layout: string | null;
  /** The site's title. */
  title: string;
  /** Every metric name found (without `val_`), with the direction its name implies, if any. */
  metrics: { name: string; direction: StopMode | null }[];
  /** runsite's version, pinned in the Pages workflow. */
  version: string;
  /** The output and cache folders, for `.gitignore`. */
  out: string;
  cacheDir: string;
}

/** One file `runsite init` writes (never over an existing one). */
export interface ScaffoldFile {
  /** Relative to the archive folder, with forward slashes. */
  path: string;
  content: string;
}

/**
 * The files of a new archive repository: config, metric labels, example note
 * and reference, the GitHub Pages workflow. Pure: `runsite init` decides what
 * may be written.
 */
export function scaffoldFiles(spec: ScaffoldSpec): ScaffoldFile[] {
  const config: Record<string, unknown> = { title: spec.title, runs: spec.runs };
  if (spec.layout !== null) config["layout"] = spec.layout;
  return [
    { path: "runsite.config.json", content: `${JSON.stringify(config, null, 2)}\n` },
    { path: "content/labels/metrics.yml", content: metricsYaml(spec.metrics) },
    { path: "content/notes/_example.md", content: exampleNote },
    { path: "content/bibliography/_example.md", content: exampleReference },
    { path: ".github/workflows/pages.yml", content: pagesWorkflow(spec) },
  ];
}

/** The lines `runsite init` makes sure `.gitignore` has. */
export function gitignoreLines(spec: Pick<ScaffoldSpec, "out" | "cacheDir">): string[] {
  return [`/${spec.out.replace(/^\.?\/+|\/+$/g, "")}/`, `/${spec.cacheDir.replace(/^\.?\/+|\/+$/g, "")}/`];
}

function metricsYaml(metrics: ScaffoldSpec["metrics"]): string {
  const header = [
    "# Labels and directions of the metrics runsite found in your logs, keyed by the",
    "# name as logged (without val_). Edit here: runsite reads this file on every build.",
    "#   label:       panel title and table heading (default: the name itself)",
    "#   direction:   min or max: which way is better, for the early-stopping analysis",
    "#                (guessed from the name where it says; where it does not, set it,",
    "#                or the metric is left out of the early-stopping analysis)",
    "#   description: one sentence shown beside the label (optional)",
    "",
  ].join("\n");
  if (metrics.length === 0) return `${header}# No metrics found yet. An entry looks like this:\n# loss:\n#   label: Loss\n#   direction: min\n`;
  const entries = metrics.map(({ name, direction }) => {
    const key = stringify(name).trimEnd();
    const guessed = direction === null ? "  # direction: min or max (the name does not say: set it to analyse early stopping)" : `  direction: ${direction}`;
    return `${key}:\n  label: ${key}\n${guessed}\n`;
  });
  return header + entries.join("");
}

const exampleNote = `---
# An example note. Files whose name starts with _ are not published: copy this file
# to a name of your own (e.g. loss-functions.md) to make a page /notes/loss-functions/.
title: What we tried and why
date: 2026-01-01
summary: One sentence for the index and search engines.
---

Notes are Markdown: **emphasis**, lists, tables, math ($\\mathcal{L} = 1 - \\text{Dice}$), and code.

Cite a reference of \`content/bibliography/\` by its file name: [@ronneberger2015, p. 3].
`;

const exampleReference = `---
# An example reference. Files whose name starts with _ are not published: copy this
# file to <key>.md (e.g. ronneberger2015.md) and cite it as [@ronneberger2015].
type: paper-conference
authors:
  - Ronneberger, Olaf
  - Fischer, Philipp
  - Brox, Thomas
year: 2015
title: "U-Net: Convolutional Networks for Biomedical Image Segmentation"
container: Medical Image Computing and Computer-Assisted Intervention – MICCAI 2015
pages: 234–241
doi: 10.1007/978-3-319-24574-4_28
---

Your reading notes go here, below the frontmatter.
`;

function pagesWorkflow(spec: ScaffoldSpec): string {
  return `# Publishes the archive to GitHub Pages on every push to main.
# Settings > Pages > Source: "GitHub Actions". Written by runsite init ${spec.version}.
name: Publish to GitHub Pages

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: true

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # the archive's commit is cited on every experiment page
      - uses: actions/setup-node@v4
        with:
          node-version: 24
      # The runsite version this archive was set up with; raise it deliberately.
      - run: npx --yes runsite@${spec.version} build --site "https://\${{ github.repository_owner }}.github.io" --base "/\${{ github.event.repository.name }}/"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: ${spec.out}

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: \${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
`;
}
