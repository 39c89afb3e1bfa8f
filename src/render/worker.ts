import { parentPort } from "node:worker_threads";
import { renderJob, type FigureJob } from "./figureJob.ts";

// A figure-rendering worker: receives batches of jobs, writes each SVG to its
// cache file and answers with the slugs done. Plot + jsdom run here, so the
// main thread neither waits for them nor keeps their garbage.
parentPort!.on("message", async (jobs: FigureJob[]) => {
  try {
    for (const job of jobs) await renderJob(job);
    parentPort!.postMessage({ done: jobs.map((j) => j.slug) });
  } catch (error) {
    parentPort!.postMessage({ error: (error as Error).stack ?? String(error) });
  }
});
