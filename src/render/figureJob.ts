import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Comparison } from "../core/ablations.ts";
import { comparisonFigure, type ComparedRun } from "../core/comparisonFigure.ts";
import { historyFigure, type HistoryFigureOptions } from "../core/figures.ts";
import type { History } from "../core/history.ts";
import { renderFigure } from "./svg.ts";

/** What to draw: one experiment's history, or a comparison of several runs. Plain data, so it can be posted to a worker thread. */
export type FigureData =
  | { kind: "history"; history: History; options: HistoryFigureOptions }
  | { kind: "comparison"; comparison: Comparison; runs: ComparedRun[]; options: HistoryFigureOptions };

/** One figure to draw. */
export type FigureJob = FigureData & {
  /** The figure's identity in the site (an experiment slug, or `compare:<id>`). */
  slug: string;
  /** Where the SVG goes (the content-addressed cache file). */
  file: string;
};

/**
 * Draws one figure and writes it atomically (temporary name, then rename), so
 * a build that is stopped halfway never leaves a half-written cache entry.
 */
export async function renderJob(job: FigureJob): Promise<void> {
  // The test suite's way to make one figure fail (tests/build/atomic.test.ts, "failures stay local"): a real exception at the real place.
  if (process.env["RUNSITE_TEST_FIGURE_FAILURE"] === job.slug) throw new Error("injected failure (RUNSITE_TEST_FIGURE_FAILURE)");
  const spec = job.kind === "history" ? historyFigure(job.history, job.options) : comparisonFigure(job.comparison, job.runs, job.options);
  const svg = renderFigure(spec);
  await mkdir(path.dirname(job.file), { recursive: true });
  const temporary = `${job.file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temporary, svg);
  await rename(temporary, job.file);
}
