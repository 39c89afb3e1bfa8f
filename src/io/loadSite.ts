import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { comparisonsByMember, type Comparison } from "../core/ablations.ts";
import { buildArchive, type Archive, type Experiment } from "../core/archive.ts";
import { buildComparisons, type PreparedComparison } from "../core/comparisons.ts";
import type { Config } from "../core/config.ts";
import type { Descriptions } from "../core/descriptions.ts";
import type { PageFailure } from "../core/pageFailure.ts";
import { compareDiagnostics, type Diagnostic } from "../core/diagnostics.ts";
import { parseMetricLabels, type MetricLabels } from "../core/labels.ts";
import { renderFigures, type FigureRequest } from "../render/pool.ts";
import type { RenderPlan } from "./incremental.ts";
import { codeVersion } from "./codeVersion.ts";
import { openParseCache } from "./parseCache.ts";
import { readSources, scanRuns, type FoundFile } from "./scan.ts";
import { readDescriptions } from "./descriptions-fs.ts";
import { readArchiveCitation, type ArchiveCitation } from "./archiveCitation.ts";

/** Everything the pages show, with figures rendered. */
export interface Site {
  config: Config;
  /** Absolute path of the run tree. */
  runsRoot: string;
  labels: MetricLabels;
  /** Descriptions of models, datasets and optimizers (`content/labels/<kind>.yml`). */
  descriptions: Descriptions;
  archive: Archive;
  /** Which experiment and comparison pages this build renders (set by an incremental build; default: all). */
  render: RenderPlan;
  /** Each experiment by slug (pages look themselves up here, not by a scan). */
  experimentsBySlug: Map<string, Experiment>;
  /** The comparisons each experiment belongs to, by slug (see `comparisonsByMember`). */
  comparedIn: Map<string, Comparison[]>;
  /** Each comparison by id. */
  comparisonsById: Map<string, PreparedComparison & { svgFile: Promise<string> | null }>;
  /**
   * The file holding each experiment's figure (SVG), by slug, once it is drawn:
   * pages await their own figure while workers draw the rest, and read it when
   * written, so 10 000 figures never sit in memory.
   */
  figures: Map<string, Promise<string>>;
  /** Asks for a figure to be drawn next (a page waits for it): an experiment's slug, or `compare:<id>`. */
  wantFigure: (slug: string) => void;
  /**
   * Comparisons (ablations, repeats, declared) with the file holding each one's
   * figure (SVG), once drawn; `null` where the browser draws it (`draw: "browser"`).
   */
  comparisons: (PreparedComparison & { svgFile: Promise<string> | null })[];
  /** Problems in content files (labels). */
  contentDiagnostics: Diagnostic[];
  /** Absolute path of each history file by root-relative path, for downloads. */
  sources: Map<string, string>;
  /** SHA-256 (hex) of each history file read, by root-relative path, for citations. */
  hashes: Map<string, string>;
  /** The archive's authors (config, else its CITATION.cff) and the git repository its runs are committed in. */
  citation: ArchiveCitation;
  /** Experiment pages that threw while rendered, by slug: filled in by the pages' middleware (`astro/middleware.ts`). */
  pageFailures: Map<string, PageFailure>;
  /** Seconds spent loading. */
  seconds: number;
}

/** Reports how far a long step has come: called after each item. */
export type Progress = (step: string, done: number, total: number) => void;

/**
 * Loads the run tree and content named by `config` (relative to `root`),
 * builds the archive and renders every figure.
 */
export async function loadSite(config: Config, root: string, progress: Progress = () => {}): Promise<Site> {
  const started = performance.now();
  const runsRoot = path.resolve(root, config.runs);
  const found = await scanRuns(runsRoot, config.extensions);
  const sources = await readSources(found, { maxBytes: config.maxFileSize });
  const { labels, diagnostics: contentDiagnostics } = await readLabels(path.resolve(root, config.content), root);
  const described = await readDescriptions(path.resolve(root, config.content), root);
  contentDiagnostics.push(...described.diagnostics);
  const citation = await readArchiveCitation(runsRoot, root, config.author);
  contentDiagnostics.push(...citation.diagnostics);
  const hashes = new Map(sources.flatMap((f) => (f.bytes === null ? [] : [[f.file, createHash("sha256").update(f.bytes).digest("hex")] as const])));
  // One cache folder per run tree, like the figures': two archives built from one folder keep their own.
  const treeKey = createHash("sha256").update(runsRoot).digest("hex").slice(0, 12);
  const parsed = await openParseCache(path.resolve(root, config.cacheDir, "parsed", `${treeKey}.v8`), hashes, `${codeVersion()}\u0000${JSON.stringify(config.formats ?? null)}`);
  const archive = buildArchive(sources, config, labels, described.descriptions, parsed.memo);
  await parsed.save();
  if (config.layout !== undefined && archive.experiments.length > 0 && archive.experiments.every((e) => e.info.layoutMismatch)) {
    contentDiagnostics.push({
      file: "runsite config",
      line: 0,
      reason: `the layout "${config.layout}" matches none of the ${archive.experiments.length} runs; they are named from their folders`,
      expected: "a pattern that fits the run tree (runsite init detects one)",
      actual: JSON.stringify(archive.experiments[0]!.info.file),
      fatal: false,
      ruleId: "layout",
    });
  }
  const compared = buildComparisons(archive.experiments, config, labels, described.descriptions);
  const options = { labels, earlyStopping: config.earlyStopping, logScale: config.logScale };
  const bySlug = new Map(archive.experiments.map((e) => [e.info.slug, e]));
  const sourceHash = (slugs: readonly string[]) => slugs.flatMap((slug) => bySlug.get(slug)?.sources.map((s) => hashes.get(s) ?? "") ?? []).join(",");
  const requests: FigureRequest[] = [
    ...archive.experiments.map((e): FigureRequest => ({ kind: "history", slug: e.info.slug, history: e.history, options: e.figureOptions, sourceHash: sourceHash([e.info.slug]) })),
    // Above `comparisonsDrawAtBuild` comparisons, the pages draw their figures in the browser.
    ...compared.comparisons.flatMap(({ comparison, draw }): FigureRequest[] => {
      if (draw === "browser") return [];
      const slugs = comparison.members.map((m) => m.slug);
      const runs = slugs.flatMap((slug) => {
        const e = bySlug.get(slug);
        return e ? [{ info: { slug }, history: e.history }] : [];
      });
      return [{ kind: "comparison", slug: `compare:${comparison.id}`, comparison, runs, options, sourceHash: sourceHash(slugs) }];
    }),
  ];
  const { files: figures, want: wantFigure } = await renderFigures(requests, {
    // One folder per run tree: each build prunes the figures it no longer uses,
    // and two archives built from one folder must not prune each other's.
    cacheDir: path.resolve(root, config.cacheDir, "figures", treeKey),
    ...(config.workers !== undefined ? { workers: config.workers } : {}),
    progress: (done, total) => progress("rendering figures", done, total),
  });
  const comparisons = compared.comparisons.map((c) => ({ ...c, svgFile: figures.get(`compare:${c.comparison.id}`) ?? null }));
  contentDiagnostics.push(...compared.diagnostics);
  const byFile = new Map(found.map((f) => [f.file, f.path]));
  return {
    config,
    runsRoot,
    labels,
    descriptions: described.descriptions,
    archive,
    render: { experiments: null, comparisons: null },
    experimentsBySlug: bySlug,
    comparedIn: comparisonsByMember(comparisons.map((c) => c.comparison)),
    comparisonsById: new Map(comparisons.map((c) => [c.comparison.id, c])),
    figures,
    wantFigure,
    comparisons,
    contentDiagnostics,
    sources: byFile,
    hashes,
    citation,
    pageFailures: new Map(),
    seconds: (performance.now() - started) / 1000,
  };
}

async function readLabels(contentRoot: string, root: string): Promise<{ labels: MetricLabels; diagnostics: Diagnostic[] }> {
  const file = path.join(contentRoot, "labels", "metrics.yml");
  const text = await readFile(file, "utf8").catch(() => null);
  if (text === null) return { labels: {}, diagnostics: [] };
  return parseMetricLabels(text, path.relative(root, file).split(path.sep).join("/"));
}

/**
 * A cheap fingerprint of the run tree (paths, sizes, modification times), so
 * a dev server can tell when a training has written a new epoch.
 */
export async function fingerprint(files: readonly FoundFile[]): Promise<string> {
  const stats = await Promise.all(
    files.map((f) =>
      stat(f.path).then(
        (s) => `${f.file}:${s.size}:${s.mtimeMs}`,
        () => `${f.file}:gone`,
      ),
    ),
  );
  return stats.join("\n");
}

/**
 * Figures that could not be drawn, as problems of their experiment (or of the
 * comparison): a failure in drawing costs that figure, never the build. Waits
 * for every figure.
 */
export async function figureProblems(site: Site): Promise<Diagnostic[]> {
  const found: Diagnostic[] = [];
  const failed = (file: string, error: unknown) =>
    found.push({ file, line: 0, reason: `the figure could not be drawn: ${(error as Error).message}`, fatal: false, ruleId: "figure" });
  await Promise.all([
    ...site.archive.experiments.map((e) => site.figures.get(e.info.slug)?.catch((error: unknown) => failed(e.info.file, error))),
    ...site.comparisons.map((c) => c.svgFile?.catch((error: unknown) => failed(`compare/${c.comparison.id}`, error))),
  ]);
  return found.sort(compareDiagnostics);
}
