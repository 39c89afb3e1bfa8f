import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { historyFigure, type HistoryFigureOptions } from "../core/figures.ts";
import type { History } from "../core/history.ts";
import { renderFigure } from "./svg.ts";

/** One figure to draw: plain data, so it can be posted to a worker thread. */
export interface FigureJob {
  slug: string;
  history: History;
  options: HistoryFigureOptions;
  /** Where the SVG goes (the content-addressed cache file). */
  file: string;
}

/**
 * Draws one figure and writes it atomically (temporary name, then rename), so
 * a build that is stopped halfway never leaves a half-written cache entry.
 */
export async function renderJob(job: FigureJob): Promise<void> {
  const svg = renderFigure(historyFigure(job.history, job.options));
  await mkdir(path.dirname(job.file), { recursive: true });
  const temporary = `${job.file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temporary, svg);
  await rename(temporary, job.file);
}
