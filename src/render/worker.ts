import { parentPort } from "node:worker_threads";
import { renderJob, type FigureJob } from "./figureJob.ts";
import type { WorkerReply } from "./pool.ts";

// A figure-rendering worker: receives batches of jobs, writes each SVG to its
// cache file and answers with the slugs done and those that failed (with why):
// a figure that cannot be drawn costs that figure, not the batch or the build.
// Plot + jsdom run here, so the main thread neither waits for them nor keeps
// their garbage.
parentPort!.on("message", async (jobs: FigureJob[]) => {
  const reply: WorkerReply = { done: [], failed: [] };
  for (const job of jobs) {
    await renderJob(job).then(
      () => reply.done.push(job.slug),
      (error: unknown) => reply.failed.push({ slug: job.slug, error: (error as Error).message ?? String(error) }),
    );
  }
  parentPort!.postMessage(reply);
});
