import { z } from "zod";
import { defaultParams } from "./experiments.ts";
import { formats } from "./history.ts";
import { parseLayout } from "./layout.ts";
import { authorsSchema } from "./people.ts";

const paramSchema = z
  .object({
    /** The prefix in the file name, e.g. `"FBL"`. */
    key: z.string().regex(/^[A-Za-z]+$/, "expected letters only"),
    /** A short identifier, e.g. `"filters"`. */
    name: z.string().min(1),
    /** What the number means. */
    label: z.string().min(1),
    /** A unit shown after the value, e.g. `"%"` (optional). */
    unit: z.string().optional(),
    /** The value a missing token stands for when comparing experiments, e.g. `0` for `DR`. Default: none (a missing token is its own value, "none"); the default grammar sets `0` for `DR`. */
    absent: z.number().optional(),
  })
  .strict();

const comparisonSchema = z
  .object({
    /** The comparison's title; its page is `/compare/named/<name as a slug>/`. */
    name: z.string().min(1),
    /** Which experiments take part: those equal to every value given. Default: `{}` (all experiments). */
    filter: z
      .object({
        /** Model folder, e.g. `"unet_2d_mdice"` (optional). */
        model: z.string().optional(),
        /** Dataset folder, e.g. `"fat_768x384x1"` (optional). */
        dataset: z.string().optional(),
        /** Optimizer, e.g. `"AdaDelta"` (optional). */
        optimizer: z.string().optional(),
        /** Date folder, `YYYY-MM-DD` (optional). */
        date: z.string().optional(),
        /** Token values by grammar key, e.g. `{ "DR": 20 }`; `null` means the token is missing (optional). */
        params: z.record(z.string(), z.number().nullable()).optional(),
      })
      .strict()
      .default({}),
    /** What the comparison is about: `"model"`, `"dataset"`, `"optimizer"`, `"date"` or a grammar key such as `"DR"`. */
    vary: z.string().min(1),
  })
  .strict();

/**
 * runsite's configuration: `runsite.config.json` / `.mjs`, the integration's
 * options, or CLI flags. Every field is optional.
 */
export const configSchema = z
  .object({
    /** The run tree to publish, relative to the project root. Default: `"runs"`. */
    runs: z.string().min(1).default("runs"),
    /**
     * The folder with labels, notes and bibliography, relative to the folder
     * runsite runs in (or the config file). Default: `"content"`; when there is
     * no such folder the site has raw metric names, no notes and no bibliography.
     */
    content: z.string().min(1).default("content"),
    /**
     * How the run tree's folders name runs: a path pattern with named parts,
     * ending in `{run}`. Known parts: `{date}` (YYYY-MM-DD), `{project}`,
     * `{model}`, `{dataset}`, `{optimizer}`; any other `{name}` is shown as a
     * column of its own; `**` matches any number of folders. Tool layouts
     * (`runs/detect/<name>/results.csv`, `lightning_logs/version_N/…`,
     * `checkpoint-N/trainer_state.json`, generic names such as `history.csv`)
     * are read first. Default: none (the seed's `{date}/{model}/{dataset}/{run}`
     * where a path has that shape, else its folders are the project).
     * @example "{project}/{run}"
     */
    layout: z.string().min(1).optional(),
    /**
     * Where the archive's pages go below the site's base: `""` for a site of
     * its own, e.g. `"runs"` for `/runs/…` beside the pages of an existing
     * Astro site that uses the integration. Default: `""`.
     */
    prefix: z
      .string()
      .regex(/^\/?([A-Za-z0-9._-]+\/?)*$/, "expected a path such as runs or /lab/runs")
      .default(""),
    /** The site's title, shown in every page header. Default: `"Experiment archive"`. */
    title: z.string().min(1).default("Experiment archive"),
    /** Title of every experiment page unless a sidecar overrides it. Default: the stem. */
    experimentTitle: z.string().optional(),
    /**
     * The archive's authors, named in "cite this experiment", the `citation_*`
     * meta tags and the site's `CITATION.cff`: one author or a list, each
     * `"Family, Given"` (a person), a name without a comma (an organisation),
     * or `{family, given?, orcid?, affiliation?, email?}` / `{name, …}`.
     * Default: the authors of the archive's `CITATION.cff` (in the runs
     * folder, its git repository's root, or the folder runsite runs in), else
     * none (citations then start with the title, as APA does for works
     * without an author).
     * @example [{ family: "Doe", given: "Jane", orcid: "0000-0002-1825-0097" }, "Fat Segmentation Lab"]
     */
    author: authorsSchema.optional(),
    /** The early-stopping analysis (a replay of `keras.callbacks.EarlyStopping`, see docs/early-stopping.md). */
    earlyStopping: z
      .object({
        /** Smallest change that counts as an improvement (Keras `min_delta`). Default: `0`, as in Keras (the sample archive's runsite.config.json sets the seed's `0.005`). */
        minDelta: z.number().nonnegative().default(0),
        /** The patience drawn on the figures and used for the "stopped early" badge (Keras `patience`). Default: `3`. */
        patience: z.number().int().nonnegative().default(3),
        /** The patiences of the early-stopping table. Default: `[0, 3, 10]`. */
        grid: z.array(z.number().int().nonnegative()).min(1).default([0, 3, 10]),
        /** Which Keras: `"keras3"` (Keras ≥ 3.7), `"keras3.6"` (Keras 3.0–3.6 and tf-keras 2.x) or `"tf2"` (tf.keras of TF 2.4–2.5). Default: `"keras3"`. */
        semantics: z.enum(["keras3", "keras3.6", "tf2"]).default("keras3"),
        /** How values are compared: `"float32"` (Keras 3 on TensorFlow, JAX, PyTorch) or `"float64"` (numpy backend, tf-keras, TF 2.x). Default: `"float32"` for keras3/keras3.6, `"float64"` for tf2. */
        precision: z.enum(["float32", "float64"]).optional(),
        /**
         * Which series the figure marks and the page's summary follows: `"validation"` (every validation metric, what EarlyStopping
         * monitors), `"all"`, `"none"`, or series names as in the file (Keras `monitor`, e.g. `"val_loss"` or `["val_loss", "val_sdice"]`).
         * The table covers every series regardless. Default: `"validation"`.
         */
        monitor: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).default("validation"),
      })
      .strict()
      .default({ minDelta: 0, patience: 3, grid: [0, 3, 10], semantics: "keras3", monitor: "validation" }),
    /**
     * Log-scale y axes: `"auto"` for panels of lower-is-better metrics whose
     * positive values span at least two decades (and for learning rates),
     * `"never"`, or `"always"` where all values are positive. Default: `"auto"`.
     */
    logScale: z.enum(["auto", "never", "always"]).default("auto"),
    /** The file-name token grammar. Default: N, E, L, FBL, DR (see README). */
    params: z.array(paramSchema).default(() => defaultParams.map((p) => ({ ...p }))),
    /**
     * Formats forced per folder, by path prefix below the run tree; the longest
     * prefix wins. Default: `{}` (detect every file's format from its content).
     * @example { "2024-05-01/yolo": "ultralytics" }
     */
    formats: z.record(z.string(), z.enum(formats)).default({}),
    /**
     * File extensions read as histories, besides `trainer_state.json` and
     * `events.out.tfevents.*`, which are always read. Default: `[".csv", ".log", ".tsv"]`.
     */
    extensions: z.array(z.string().regex(/^\.[A-Za-z0-9.]+$/, "expected an extension such as .csv")).default([".csv", ".log", ".tsv"]),
    /**
     * Largest history file read, in bytes; a larger one is listed as a problem
     * instead of being loaded into memory. Default: `268435456` (256 MiB).
     */
    maxFileSize: z
      .number()
      .int()
      .positive()
      .default(256 * 2 ** 20),
    /** Folder for the figure cache (content-addressed; safe to delete). Default: `".runsite-cache"`. */
    cacheDir: z.string().min(1).default(".runsite-cache"),
    /**
     * Worker threads drawing figures; `0` draws in the main thread. Default:
     * one per core but one, for archives of more than 64 experiments.
     */
    workers: z.number().int().nonnegative().optional(),
    /** Fail the build when any file has a problem. Default: `false`. */
    strict: z.boolean().default(false),
    /**
     * Comparison pages declared by hand, besides the ones found automatically
     * (experiments that differ in one parameter). Default: `[]`.
     * @example [{ name: "Attention gates", filter: { params: { DR: 20 } }, vary: "model" }]
     */
    comparisons: z.array(comparisonSchema).default([]),
    /**
     * Most comparisons whose figures are drawn at build time (inline SVG,
     * printable without JavaScript). An archive with more draws them in the
     * reader's browser from each run's `history.json`, so its comparison
     * pages carry the table but no SVG, and the build draws no comparison
     * figure (see docs/comparisons.md). `0` always draws in the browser.
     * Default: `200`.
     */
    comparisonsDrawAtBuild: z.number().int().nonnegative().default(200),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.layout !== undefined) {
      try {
        parseLayout(config.layout);
      } catch (error) {
        ctx.addIssue({ code: "custom", path: ["layout"], message: (error as Error).message, input: config.layout });
      }
    }
    const fields = ["model", "dataset", "optimizer", "date", ...config.params.map((p) => p.key)];
    config.comparisons.forEach((c, i) => {
      if (!fields.includes(c.vary)) ctx.addIssue({ code: "custom", path: ["comparisons", i, "vary"], message: `expected one of ${fields.join(", ")}`, input: c.vary });
      for (const key of Object.keys(c.filter.params ?? {})) {
        if (!config.params.some((p) => p.key === key))
          ctx.addIssue({
            code: "custom",
            path: ["comparisons", i, "filter", "params", key],
            message: `expected a key of the token grammar (${config.params.map((p) => p.key).join(", ")})`,
            input: key,
          });
      }
    });
  });

/** What users write. */
export type ConfigSpec = z.input<typeof configSchema>;
/** What the code uses: every default filled in. */
export type Config = z.output<typeof configSchema>;

/**
 * Validates user configuration and fills in defaults. Throws one error listing
 * every problem as `path: expected …, received …`, e.g.
 * `runsite config: earlyStopping.patience: expected a number, received "5 epochs"`.
 */
export function normalizeConfig(spec: unknown = {}): Config {
  const result = configSchema.safeParse(spec ?? {}, { reportInput: true });
  if (result.success) return result.data;
  throw new Error(`runsite config: ${result.error.issues.map(formatIssue).join("; ")}`);
}

/** One Zod issue as `path: expected …, received …` (Starlight's parseWithFriendlyErrors). */
function formatIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join(".") || "(root)";
  const received = "input" in issue && issue.input !== undefined ? `, received ${JSON.stringify(issue.input)}` : "";
  switch (issue.code) {
    case "invalid_type":
      return `${path}: expected ${issue.expected === "int" ? "an integer" : `a ${issue.expected}`}${received}`;
    case "invalid_value":
      return `${path}: expected ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}${received}`;
    case "unrecognized_keys":
      return `${path}: unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")} (check the spelling; see the README's configuration table)`;
    case "too_small":
      return `${path}: expected ${issue.origin === "array" ? `at least ${issue.minimum} item(s)` : `a value ≥ ${issue.minimum}`}${received}`;
    default:
      return `${path}: ${issue.message}${received}`;
  }
}
