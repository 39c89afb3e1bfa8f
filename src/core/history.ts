import type { Diagnostic } from "./diagnostics.ts";

/** What a series is plotted against. */
export type Axis = "epoch" | "step";

/** Which data a series was computed on. */
export type Split = "train" | "validation" | "test";

/**
 * What a series is: a metric gets a panel; a schedule (learning rate) is a
 * property of the optimiser, drawn apart; `other` (wall time, GPU memory) is
 * kept for tables and downloads but never analysed.
 */
export type Role = "metric" | "schedule" | "other";

/** The formats runsite reads (see docs/formats.md and `formats/registry.ts`). */
export const formats = [
  "keras",
  "lightning",
  "ultralytics",
  "huggingface",
  "fastai",
  "tensorboard",
  "keras-history",
  "jsonl",
  "mlflow",
  "yolo-txt",
  "simpletransformers",
  "wandb-export",
  "ludwig",
  "nnunet",
  "hf-summary",
] as const;
export type Format = (typeof formats)[number];

/**
 * One named sequence of values from one attempt of one training.
 *
 * Values: a finite number; `NaN`, `Infinity` or `-Infinity` when the file
 * says so (`nan`, `inf`, `-inf`); `null` when the cell is missing (empty,
 * `NA`, `#na#`). Missing is never 0.
 */
export interface Series {
  /** The name exactly as written in the file, e.g. `"val_loss"`. */
  name: string;
  /** The metric without its split prefix, e.g. `"loss"` for `"val_loss"`. */
  metric: string;
  split: Split;
  axis: Axis;
  role: Role;
  /** The attempt the values come from (index into `History.attempts`). */
  attempt: number;
  /** Epochs (as written in the file: Keras counts from 0) or steps, ascending. */
  x: number[];
  /** One value per `x`. */
  y: (number | null)[];
}

/**
 * One training in a file. Keras' CSVLogger with `append=True` never rewrites
 * the header, so one file can hold several trainings: a new attempt begins
 * where the epoch goes back to the first epoch of the file.
 */
export interface Attempt {
  index: number;
  /** Physical line of the attempt's first data row. */
  line: number;
  firstEpoch: number;
  lastEpoch: number;
  /** Data rows read into this attempt. */
  rows: number;
}

/**
 * A training resumed from a checkpoint inside one attempt: the epoch went
 * back, but not to the start. The later rows win at the repeated epochs.
 */
export interface Resume {
  attempt: number;
  /** The first epoch written again. */
  epoch: number;
  /** Physical line of the row that resumes. */
  line: number;
}

/** Everything read from one history file. */
export interface History {
  /** Root-relative path. */
  file: string;
  format: Format;
  /** Column names exactly as in the header (CSV formats), in file order. */
  columns: string[];
  series: Series[];
  attempts: Attempt[];
  resumes: Resume[];
  /** Hyperparameters read with the history (MLflow `params/`, `args.yaml`, `hparams.yaml`), optional. */
  hyperparameters?: Hyperparameters[];
  /** Final metrics that are no curve (Hugging Face `all_results.json`), optional. */
  summaries?: Hyperparameters[];
  /** The run's own name, when the files give one (MLflow's `mlflow.runName` tag), optional. */
  runName?: string;
}

/** A flat table of named values read from one file, e.g. `args.yaml` (nested keys dotted: `optimizer.lr`). */
export interface Hyperparameters {
  /** Root-relative path of the file the values come from. */
  source: string;
  values: Record<string, string | number | boolean | null>;
}

/** What every parser returns: never throws on input. */
export interface ParseResult {
  /** `null` when nothing usable could be read (see the fatal diagnostics). */
  history: History | null;
  diagnostics: Diagnostic[];
  /** Several runs in one file (a W&B chart export): one history each; `history` is the first (optional). */
  parts?: History[];
  /** A summary of final metrics and no history (Hugging Face `all_results.json`) (optional). */
  summary?: Hyperparameters;
  /**
   * Why a file that was recognised has no history, when that is no problem of
   * the file (a summary, a log of a run without training): then `history` is
   * `null` and the diagnostics are warnings (optional). Otherwise a `null`
   * history always comes with a fatal diagnostic.
   */
  withoutHistory?: string;
}
