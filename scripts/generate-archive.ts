// Deterministic synthetic run trees for the benchmark (scripts/bench.ts).
// Run directly to write one: node scripts/generate-archive.ts 1k|10k|long DIR
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

/** The size of a synthetic archive. */
export interface ArchiveSpec {
  /** Short name: `1k`, `10k` or `long`. */
  name: string;
  /** History files written. */
  experiments: number;
  /** Rows (epochs, or steps logged as epochs) per file. */
  rows: number;
  /** PRNG seed: the same spec always writes the same bytes. */
  seed: number;
}

/** The three archives of issue #7: many short runs, ten times more, and a few very long ones. */
export const archiveSpecs: Record<string, ArchiveSpec> = {
  "1k": { name: "1k", experiments: 1_000, rows: 24, seed: 1 },
  "10k": { name: "10k", experiments: 10_000, rows: 24, seed: 2 },
  long: { name: "long", experiments: 20, rows: 100_000, seed: 3 },
};

/** The five logged metrics of the seed archive; each has a `val_` twin, so 10 series per file. */
const metrics = ["background_dice", "loss", "scat_dice", "sdice", "vsat_dice"] as const;
/** `epoch`, then the series sorted by name as Keras' CSVLogger writes them. */
const columns = ["epoch", ...[...metrics, ...metrics.map((m) => `val_${m}`)].sort()];

const models = ["unet_2d_mdice", "unet_2d_mdice_ag", "unet_3d_mdice"];
const datasets = ["fat_768x384x1", "fat_384x192x1"];
const optimizers = ["AdaDelta", "Adam", "SGD", "RMSprop"];
const samples = [204, 48];
const levels = [3, 4, 5];
const filters = [8, 16, 24, 32];
const dropouts = [null, 20, 40];
const combinations = models.length * datasets.length * optimizers.length * samples.length * levels.length * filters.length * dropouts.length;
/** Experiments filed under one date folder. */
const perDay = 50;

/** mulberry32: a small, fast, seeded PRNG with uniform output in [0, 1). */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The root-relative path of experiment `i` in the seed's layout:
 * `<date>/<model>/<dataset>/<model>_<opt>_<dataset>_N<n>_E<e>_L<l>_FBL<f>[_DR<d>].csv`.
 * Unique for every `i`: a date holds `perDay` different hyperparameter combinations.
 */
export function experimentPath(i: number, rows: number): string {
  const day = new Date(Date.UTC(2021, 0, 1) + Math.floor(i / perDay) * 86_400_000).toISOString().slice(0, 10);
  // A stride coprime with the number of combinations scatters one day's runs over the grid.
  let k = ((i % perDay) * 409 + Math.floor(i / perDay) * 7) % combinations;
  const pick = <T>(values: readonly T[]): T => {
    const v = values[k % values.length]!;
    k = Math.floor(k / values.length);
    return v;
  };
  const model = pick(models);
  const dataset = pick(datasets);
  const optimizer = pick(optimizers);
  const n = pick(samples);
  const l = pick(levels);
  const f = pick(filters);
  const dr = pick(dropouts);
  const stem = `${model}_${optimizer}_${dataset}_N${n}_E${rows}_L${l}_FBL${f}${dr === null ? "" : `_DR${dr}`}`;
  return `${day}/${model}/${dataset}/${stem}.csv`;
}

/**
 * One Keras CSVLogger history: CRLF lines, 0-based epochs, full-precision
 * floats. Losses decay towards a floor and Dice scores saturate below 1, each
 * with noise; validation is a little worse and noisier, so early stopping
 * fires in some runs and not in others.
 */
export function historyText(rows: number, random: () => number): string {
  const curves = metrics.map((metric) => {
    const isLoss = metric === "loss";
    const floor = isLoss ? 0.01 + 0.05 * random() : 0.85 + 0.14 * random();
    const start = isLoss ? 0.2 + 0.3 * random() : 0.3 + 0.5 * random();
    // Time constant in rows: long runs converge over their whole length too.
    const tau = rows * (0.05 + 0.25 * random());
    const noise = 0.002 + 0.01 * random();
    const gap = 0.005 + 0.03 * random();
    return { isLoss, floor, start, tau, noise, gap };
  });
  const lines = [columns.join(",")];
  const values = new Map<string, number>();
  for (let epoch = 0; epoch < rows; epoch++) {
    metrics.forEach((metric, m) => {
      const c = curves[m]!;
      const base = c.floor + (c.start - c.floor) * Math.exp(-epoch / c.tau);
      const train = base + c.noise * (random() - 0.5);
      const val = c.isLoss ? base + c.gap + 2 * c.noise * (random() - 0.5) : base - c.gap + 2 * c.noise * (random() - 0.5);
      values.set(metric, c.isLoss ? Math.max(train, 1e-6) : Math.min(train, 1));
      values.set(`val_${metric}`, c.isLoss ? Math.max(val, 1e-6) : Math.min(val, 1));
    });
    let line = String(epoch);
    for (let c = 1; c < columns.length; c++) line += `,${values.get(columns[c]!)!}`;
    lines.push(line);
  }
  return lines.join("\r\n") + "\r\n";
}

/** Writes the archive `spec` under `root` (created); returns the bytes written. */
export async function generateArchive(spec: ArchiveSpec, root: string): Promise<number> {
  const random = createRandom(spec.seed);
  let bytes = 0;
  const made = new Set<string>();
  for (let i = 0; i < spec.experiments; i++) {
    const file = path.join(root, experimentPath(i, spec.rows));
    const dir = path.dirname(file);
    if (!made.has(dir)) {
      await mkdir(dir, { recursive: true });
      made.add(dir);
    }
    const text = historyText(spec.rows, random);
    bytes += Buffer.byteLength(text);
    await writeFile(file, text);
  }
  return bytes;
}

if (import.meta.main) {
  const [name, dir] = process.argv.slice(2);
  const spec = archiveSpecs[name ?? ""];
  if (spec === undefined || dir === undefined) {
    console.error(`usage: node scripts/generate-archive.ts ${Object.keys(archiveSpecs).join("|")} DIR`);
    process.exit(2);
  }
  const bytes = await generateArchive(spec, dir);
  console.log(`${spec.experiments} histories, ${(bytes / 1e6).toFixed(1)} MB in ${dir}`);
}
