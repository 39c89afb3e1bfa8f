import { createHash } from "node:crypto";
import { access, readdir, unlink } from "node:fs/promises";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { codeVersion, moduleExtension } from "../io/codeVersion.ts";
import { mapLimit } from "../io/limit.ts";
import type { FigureData, FigureJob } from "./figureJob.ts";

/** Options of `renderFigures`. */
export interface RenderOptions {
  /** Folder of the content-addressed figure cache, e.g. `.runsite-cache/figures`. */
  cacheDir: string;
  /** Worker threads; `0` renders in this thread. Default: one per core, when there are more than 64 figures to draw. */
  workers?: number;
  /** Called after each figure is available (rendered or found in the cache). */
  progress?: (done: number, total: number) => void;
}

/** A figure to make: the job without its cache file, which `renderFigures` chooses. */
export type FigureRequest = FigureData & {
  slug: string;
  /** SHA-256 of the history file(s) the figure is drawn from. */
  sourceHash: string;
};

const here = path.dirname(fileURLToPath(import.meta.url));

/** The cache file of a figure: the hash of its source bytes, its options and the renderer. */
export function figureCacheFile(cacheDir: string, request: FigureRequest): string {
  // The history itself is covered by the source hash; a comparison adds its
  // members and values, which come from the paths.
  const what = request.kind === "comparison" ? JSON.stringify(request.comparison) : "history";
  const key = createHash("sha256").update(codeVersion()).update(request.sourceHash).update(request.slug).update(what).update(JSON.stringify(request.options)).digest("hex");
  return path.join(cacheDir, key.slice(0, 2), `${key}.svg`);
}

/**
 * Starts making every figure's SVG file and returns, by slug, a promise of its
 * path that settles when the file is written: pages are generated while the
 * workers draw, each page waiting only for its own figure. A figure whose
 * cache file exists is not drawn again: a rebuild after one CSV changed draws
 * one figure. The rest are drawn in worker threads, in batches, or in this
 * thread for small archives. Output does not depend on the number of
 * workers: each figure is a pure function of its job. Cache files no request
 * used are removed once all are drawn.
 */
export async function renderFigures(requests: readonly FigureRequest[], options: RenderOptions): Promise<RenderedFigures> {
  const files = new Map<string, Promise<string>>();
  const settle = new Map<string, { resolve: () => void; reject: (error: unknown) => void }>();
  const missing: FigureJob[] = [];
  const used = new Set<string>();
  let done = 0;
  const finished = () => options.progress?.(++done, requests.length);
  const cacheFiles = requests.map((request) => figureCacheFile(options.cacheDir, request));
  const cached = await mapLimit(cacheFiles, 64, exists);
  for (const [i, request] of requests.entries()) {
    const file = cacheFiles[i]!;
    used.add(file);
    if (cached[i]) {
      files.set(request.slug, Promise.resolve(file));
      finished();
      continue;
    }
    const { sourceHash: _, ...job } = request;
    missing.push({ ...job, file });
    files.set(request.slug, new Promise<string>((resolve, reject) => settle.set(request.slug, { resolve: () => resolve(file), reject })));
  }
  const markDone = (slug: string) => {
    settle.get(slug)?.resolve();
    finished();
  };
  // A figure that cannot be drawn fails alone: its page says so, the others are drawn.
  const markFailed = (slug: string, error: string) => {
    settle.get(slug)?.reject(new Error(error));
    finished();
  };
  // One worker per core: the main thread generates pages meanwhile.
  const workers = options.workers ?? (missing.length > 64 ? availableParallelism() : 0);
  const queue = new FigureQueue(missing);
  const drawing = (async () => {
    if (workers === 0) {
      for (let job = queue.take(1)[0]; job !== undefined; job = queue.take(1)[0]) {
        // Imported here: jsdom takes ~0.7 s to load, which a build drawing in workers (or none) should not pay.
        const { renderJob } = (await import(/* @vite-ignore */ new URL(`./figureJob${moduleExtension}`, import.meta.url).href)) as typeof import("./figureJob.ts");
        await renderJob(job).then(
          () => markDone(job.slug),
          (error: Error) => markFailed(job.slug, error.message),
        );
      }
    } else await runInWorkers(queue, workers, markDone, markFailed);
    await prune(options.cacheDir, used);
  })();
  drawing.catch((error: unknown) => {
    for (const { reject } of settle.values()) reject(error);
  });
  // A figure that is never awaited must not turn a failure into an unhandled rejection.
  for (const file of files.values()) file.catch(() => {});
  return { files, want: (slug) => queue.want(slug) };
}

/** The figures of a site being drawn: their files by slug, and a way to ask for one first. */
export interface RenderedFigures {
  /** The file of each figure, by slug, once written. */
  files: Map<string, Promise<string>>;
  /** Draws `slug` next if it is still waiting: a page that needs it is waiting too. */
  want(slug: string): void;
}

/**
 * The figures still to draw, in request order, except that figures a page
 * waits for go first. Astro renders pages in its own route order (comparison
 * pages may come before experiment pages), so without this a page can wait
 * for a figure at the end of the queue while the main thread idles.
 */
class FigureQueue {
  private readonly pending: Map<string, FigureJob>;
  private wanted: string[] = [];
  constructor(jobs: readonly FigureJob[]) {
    this.pending = new Map(jobs.map((job) => [job.slug, job]));
  }
  want(slug: string): void {
    if (this.pending.has(slug)) this.wanted.push(slug);
  }
  /** Up to `count` jobs: wanted ones first, then in request order. */
  take(count: number): FigureJob[] {
    const batch: FigureJob[] = [];
    while (batch.length < count && this.wanted.length > 0) this.pop(this.wanted.shift()!, batch);
    for (const slug of this.pending.keys()) {
      if (batch.length >= count) break;
      this.pop(slug, batch);
    }
    return batch;
  }
  get size(): number {
    return this.pending.size;
  }
  private pop(slug: string, batch: FigureJob[]): void {
    const job = this.pending.get(slug);
    if (job === undefined) return;
    this.pending.delete(slug);
    batch.push(job);
  }
}

async function runInWorkers(queue: FigureQueue, count: number, onDone: (slug: string) => void, onFailed: (slug: string, error: string) => void): Promise<void> {
  // Small batches: a wanted figure waits at most for the batch in progress.
  const batchSize = 4;
  const run = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      const send = () => {
        const batch = queue.take(batchSize);
        if (batch.length === 0) return resolve();
        worker.postMessage(batch);
      };
      worker.on("message", (message: WorkerReply) => {
        for (const slug of message.done) onDone(slug);
        for (const { slug, error } of message.failed) onFailed(slug, error);
        send();
      });
      worker.on("error", reject);
      send();
    });
  const workers = Array.from({ length: Math.min(count, Math.ceil(queue.size / batchSize)) }, () => new Worker(path.join(here, `worker${moduleExtension}`)));
  try {
    await Promise.all(workers.map(run));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** What a figure worker answers for a batch: the figures drawn, and those that could not be. */
export interface WorkerReply {
  done: string[];
  failed: { slug: string; error: string }[];
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** Removes cache files that no figure of this build uses, so the cache does not grow without bound. */
async function prune(cacheDir: string, used: ReadonlySet<string>): Promise<void> {
  const entries = await readdir(cacheDir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isFile() && entry.name.endsWith(".svg") && !used.has(file)) await unlink(file).catch(() => {});
  }
}
