import { compareStrings } from "./diagnostics.ts";
import { hfSummaryName } from "./formats/hfSummary.ts";

/** How the files of a run are laid out. */
export type RunKind = "file" | "tensorboard" | "mlflow" | "nnunet" | "huggingface" | "summary" | "sidecar";

/**
 * One run: the files that make one experiment page. Every file of the input
 * is in exactly one unit, in exactly one of its lists.
 */
export interface RunUnit {
  /** Root-relative identity: the file for file-shaped runs, the run folder for folder-shaped ones. */
  key: string;
  kind: RunKind;
  /** Files read into the history (merged when several). */
  histories: string[];
  /** YAML files read as hyperparameters (`args.yaml`, `hparams.yaml`). */
  hyperparameters: string[];
  /** Hugging Face summaries (`all_results.json`, …) shown as final metrics. */
  summaries: string[];
  /** Files of the run that are not read: older checkpoints' states, MLflow's `meta.yaml`. */
  accounted: string[];
}

const dirname = (file: string) => (file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : ".");
const basename = (file: string) => file.slice(file.lastIndexOf("/") + 1);
const tensorboard = /^events\.out\.tfevents\./;
/** Sub-folders a TensorBoard run splits its event files into. */
export const splitFolder = /^(train|training|validation|val|eval|test)$/;
const nnunet = /^training_log_.*\.txt$/;
const sidecarYaml = /^(args|hparams)\.ya?ml$/;
const checkpointState = /^(.*)\/checkpoint-(\d+)\/trainer_state\.json$/;
/** Files of an MLflow run folder: `<run>/meta.yaml`, `<run>/{metrics,params,tags}/…`. */
const mlflowPart = /^(meta\.yaml|(?:metrics|params|tags)\/.+)$/;

const unit = (key: string, kind: RunKind, histories: string[] = []): RunUnit => ({ key, kind, histories, hyperparameters: [], summaries: [], accounted: [] });

/**
 * Groups the files found under the root into runs, as the tools write them:
 *
 * - an MLflow run folder (`<run>/meta.yaml` beside `<run>/metrics/`): its
 *   metrics, params and tags are one run, keyed by the folder;
 * - TensorBoard event files: all of one folder are one run (TensorBoard
 *   starts a file per restart), keyed by the folder; `train/` and
 *   `validation/` sub-folders (Keras' callback) belong to their parent;
 * - nnU-Net `training_log_*.txt`: all logs of one fold folder are one run;
 * - Hugging Face output folders: `checkpoint-N/trainer_state.json` and a
 *   final `trainer_state.json` of one output folder are one run, keyed by the
 *   folder, read from the final state or else the latest checkpoint (the
 *   others are accounted for, not read); a lone `trainer_state.json` stays a
 *   file-shaped run. `all_results.json`, `train_results.json`,
 *   `eval_results.json` beside it are its summaries; alone they are a
 *   `summary` unit (no history);
 * - `args.yaml` (Ultralytics) and `hparams.yaml` (Lightning) are the
 *   hyperparameters of the history beside them (in the same folder); alone,
 *   a `sidecar` unit;
 * - any other file is a run of its own.
 *
 * Pure and order-independent; units are sorted by key.
 */
export function groupRunUnits(files: readonly string[]): RunUnit[] {
  const sorted = [...new Set(files)].sort(compareStrings);
  const units = new Map<string, RunUnit>();
  const taken = new Set<string>();
  const add = (u: RunUnit, file: string, list: "histories" | "hyperparameters" | "summaries" | "accounted") => {
    const existing = units.get(`${u.kind}\u0000${u.key}`) ?? u;
    units.set(`${u.kind}\u0000${u.key}`, existing);
    existing[list].push(file);
    taken.add(file);
  };

  // MLflow run folders: a meta.yaml with metrics beside it.
  const mlflowRuns = new Set<string>();
  const withMetrics = new Set<string>();
  for (const f of sorted) {
    const at = f.startsWith("metrics/") ? 0 : f.indexOf("/metrics/") + 1;
    if (at > 0 || f.startsWith("metrics/")) withMetrics.add(at === 0 ? "." : f.slice(0, at - 1));
  }
  for (const f of sorted) if (basename(f) === "meta.yaml" && withMetrics.has(dirname(f))) mlflowRuns.add(dirname(f));
  for (const f of sorted) {
    if (mlflowRuns.size === 0) break;
    // The shortest run folder that holds the file: nested metric names are folders too (metrics/train/loss).
    const cuts = [-1];
    for (let i = f.indexOf("/"); i >= 0; i = f.indexOf("/", i + 1)) cuts.push(i);
    for (const i of cuts) {
      const run = i < 0 ? "." : f.slice(0, i);
      const rest = f.slice(i + 1);
      if (mlflowRuns.has(run) && mlflowPart.test(rest)) {
        add(unit(run, "mlflow"), f, rest === "meta.yaml" ? "accounted" : "histories");
        break;
      }
    }
  }

  // Hugging Face output folders.
  const states = new Map<string, { file: string; order: number }[]>();
  for (const f of sorted) {
    if (taken.has(f) || basename(f) !== "trainer_state.json") continue;
    const c = checkpointState.exec(f);
    const output = c ? c[1]! : dirname(f);
    states.set(output, [...(states.get(output) ?? []), { file: f, order: c ? Number(c[2]) : Infinity }]);
  }
  const summaryHome = new Map<string, RunUnit>();
  for (const [output, list] of states) {
    const folderShaped = list.length > 1 || list.some((s) => s.order !== Infinity);
    const latest = list.reduce((a, b) => (b.order > a.order ? b : a));
    const u = unit(folderShaped ? output : latest.file, "huggingface");
    for (const s of list) add(u, s.file, s === latest ? "histories" : "accounted");
    summaryHome.set(output, units.get(`huggingface\u0000${u.key}`)!);
  }
  for (const f of sorted) {
    if (taken.has(f) || !hfSummaryName.test(f)) continue;
    const home = summaryHome.get(dirname(f));
    if (home) add(home, f, "summaries");
    else add(unit(dirname(f), "summary"), f, "summaries");
  }

  // Folder-shaped logs: TensorBoard event files, nnU-Net fold logs.
  for (const f of sorted) {
    if (taken.has(f)) continue;
    // Keras' TensorBoard callback writes <run>/train/ and <run>/validation/: one run, keyed by <run>.
    if (tensorboard.test(basename(f))) add(unit(splitFolder.test(basename(dirname(f))) && dirname(f).includes("/") ? dirname(dirname(f)) : dirname(f), "tensorboard"), f, "histories");
    else if (nnunet.test(basename(f))) add(unit(dirname(f), "nnunet"), f, "histories");
  }

  // Everything else but the YAML sidecars: one run per file.
  for (const f of sorted) if (!taken.has(f) && !sidecarYaml.test(basename(f))) add(unit(f, "file"), f, "histories");

  // Sidecars join the history in their folder (the first, by path, when there are several).
  const byFolder = new Map<string, RunUnit>();
  for (const u of [...units.values()].sort((a, b) => compareStrings(a.key, b.key))) {
    if (u.kind === "summary") continue;
    for (const h of u.histories) if (!byFolder.has(dirname(h))) byFolder.set(dirname(h), u);
  }
  for (const f of sorted) {
    if (taken.has(f)) continue;
    const home = byFolder.get(dirname(f));
    if (home) add(home, f, "hyperparameters");
    else add(unit(f, "sidecar"), f, "hyperparameters");
  }
  return [...units.values()].sort((a, b) => compareStrings(a.key, b.key) || compareStrings(a.kind, b.kind));
}
