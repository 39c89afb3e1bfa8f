/**
 * How an archive's folders name its runs: a `layout` pattern with named parts
 * (`{date}/{model}/{dataset}/{run}`, `{project}/{run}`), and the folder shapes
 * that training tools write (Ultralytics, Lightning, Hugging Face, generic log
 * names), which are read before any pattern so that `runs/detect/train2/results.csv`
 * is the run `train2`, not a run called "results".
 */

/** A parsed `layout` pattern. */
export interface Layout {
  /** The pattern as written. */
  pattern: string;
  segments: LayoutSegment[];
}

/** One `/`-separated piece of a pattern: a literal folder name, `{part}`, or `**` (any number of folders). */
export type LayoutSegment = { kind: "literal"; text: string } | { kind: "part"; name: string } | { kind: "any" };

/** Parts with a meaning of their own; any other `{name}` is shown as a column of its own. */
export const knownParts = ["date", "project", "model", "dataset", "optimizer", "run"] as const;

const partName = /^[a-z][a-z0-9_]*$/;

/**
 * Parses a layout pattern. Throws a short message for a malformed one (the
 * config reports it with its path).
 *
 * @example parseLayout("{date}/{model}/{dataset}/{run}")
 */
export function parseLayout(pattern: string): Layout {
  const segments: LayoutSegment[] = pattern
    .replace(/^\/+|\/+$/g, "")
    .split("/")
    .map((text): LayoutSegment => {
      if (text === "**") return { kind: "any" };
      const m = /^\{([^{}]*)\}$/.exec(text);
      if (m) {
        if (!partName.test(m[1]!)) throw new Error(`invalid part {${m[1]}} (expected a lower-case name such as {project})`);
        return { kind: "part", name: m[1]! };
      }
      if (/[{}]/.test(text) || text === "") throw new Error(`invalid segment "${text}" (expected a folder name, {part} or **)`);
      return { kind: "literal", text };
    });
  const names = segments.flatMap((s) => (s.kind === "part" ? [s.name] : []));
  if (names.at(-1) !== "run" || segments.at(-1)?.kind !== "part") throw new Error(`the last segment must be {run}, got "${pattern}"`);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new Error(`part {${twice}} appears twice`);
  if (segments.filter((s) => s.kind === "any").length > 1) throw new Error("at most one ** per pattern");
  return { pattern, segments };
}

/** Where a run sits: the folders above it that say something, and its own name. */
export interface RunPath {
  /** Folder names above the run, from the root (tool folders such as `runs/detect` or `lightning_logs` left out). */
  folders: string[];
  /** The run's own name: the file stem, or the run folder for a generic file name or a folder-shaped run. */
  run: string;
  /** The tool layout recognised, when one was. */
  tool?: ToolLayout["name"] | undefined;
}

/** A folder shape a training tool writes, recognised in a run's root-relative path. */
export interface ToolLayout {
  name: "ultralytics" | "lightning" | "huggingface" | "generic";
  /** What the layout looks like, for the docs and `init`. */
  example: string;
  /** `[folders, run]` when the path has this shape. */
  match: (segments: readonly string[]) => { folders: string[]; run: string } | null;
}

/** File names that say what a file is, not which run it belongs to: such a run is named by its folder. */
export const genericStems =
  /^(results|metrics|history|training_history|trainer_state|all_results|train_results|eval_results|training|train|training_log|training_progress_scores|progress|log|logs|scalars|events|stats|training_statistics|output|loss|losses|wandb-history|metrics\.json|log\.json)$/i;

/** The recognised tool layouts, tried in order (a registry: add a shape here, not a branch elsewhere). */
export const toolLayouts: readonly ToolLayout[] = [
  {
    name: "ultralytics",
    example: "…/runs/detect/<name>/results.csv (with args.yaml)",
    match: (s) => {
      const n = s.length;
      if (n < 3 || !/^results\.(csv|txt)$/i.test(s[n - 1]!) || !/^(detect|segment|classify|pose|obb|train|val)$/.test(s[n - 3]!)) return null;
      const folders = s.slice(0, n - 3);
      return { folders: folders.at(-1) === "runs" ? folders.slice(0, -1) : folders, run: s[n - 2]! };
    },
  },
  {
    name: "lightning",
    example: "…/lightning_logs/version_<N>/metrics.csv (with hparams.yaml)",
    match: (s) => {
      const n = s.length;
      if (n < 2 || s[n - 1] !== "metrics.csv" || !/^version_\d+$/.test(s[n - 2]!)) return null;
      const folders = s.slice(0, n - 2);
      return { folders: folders.at(-1) === "lightning_logs" ? folders.slice(0, -1) : folders, run: s[n - 2]! };
    },
  },
  {
    name: "huggingface",
    example: "…/<output_dir>/checkpoint-<N>/trainer_state.json (the latest checkpoint is the run)",
    match: (s) => {
      const n = s.length;
      if (n < 3 || s[n - 1] !== "trainer_state.json" || !/^checkpoint-\d+$/.test(s[n - 2]!)) return null;
      return { folders: s.slice(0, n - 3), run: s[n - 3]! };
    },
  },
  {
    name: "generic",
    example: "…/<run>/history.csv, training.log, metrics.json, trainer_state.json, …",
    match: (s) => {
      const n = s.length;
      // A file (it has an extension, or is an event file): a folder-shaped run's key is the run folder itself.
      const last = s[n - 1]!;
      const isFile = /\.[A-Za-z0-9]{1,8}$/.test(last) || /^events\.out\.tfevents\./.test(last);
      if (n < 2 || !isFile || !genericStems.test(stemOf(last))) return null;
      return { folders: s.slice(0, n - 2), run: s[n - 2]! };
    },
  },
];

/** A file name without its last extension (`events.out.tfevents.…` and folder names stay whole). */
export function stemOf(name: string): string {
  if (/^events\.out\.tfevents\./.test(name)) return "events";
  return name.replace(/\.[A-Za-z0-9]{1,8}$/, "") || name;
}

/**
 * Where a run sits, from its root-relative key (a file, or a folder for
 * folder-shaped runs such as TensorBoard's): tool layouts first, else the
 * folders and the file stem.
 *
 * @example runPath("helmet/runs/detect/train2/results.csv") // {folders: ["helmet"], run: "train2", tool: "ultralytics"}
 */
export function runPath(key: string): RunPath {
  const segments = key.split("/").filter((s) => s !== "" && s !== ".");
  for (const tool of toolLayouts) {
    const m = tool.match(segments);
    if (m) return { ...m, tool: tool.name };
  }
  const last = segments.pop() ?? key;
  return { folders: segments, run: stemOf(last) };
}

/**
 * Matches a run's path against a layout: its parts by name, or `null` when
 * the pattern does not fit. `{run}` takes the run's name; `**` any number of
 * folders (none included).
 */
export function matchLayout(layout: Layout, path: RunPath): Record<string, string> | null {
  const names = [...path.folders, path.run];
  const segs = layout.segments;
  const any = segs.findIndex((s) => s.kind === "any");
  let pairs: [LayoutSegment, string][];
  if (any < 0) {
    if (segs.length !== names.length) return null;
    pairs = segs.map((s, i) => [s, names[i]!]);
  } else {
    const before = segs.slice(0, any);
    const after = segs.slice(any + 1);
    if (names.length < before.length + after.length) return null;
    pairs = [...before.map((s, i): [LayoutSegment, string] => [s, names[i]!]), ...after.map((s, i): [LayoutSegment, string] => [s, names[names.length - after.length + i]!])];
  }
  const parts: Record<string, string> = {};
  for (const [segment, name] of pairs) {
    if (segment.kind === "literal" && segment.text !== name) return null;
    if (segment.kind === "part") {
      if (segment.name === "date" && !datePattern.test(name)) return null;
      parts[segment.name] = name;
    }
  }
  return parts;
}

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The parts of a run's path when no layout is configured (or it does not
 * match):
 *
 * - `…/<date>/<model>/<dataset>/<run>`: the seed's layout (a date folder with
 *   two folders below it), with any folders above it as the project;
 * - `…/<model>/<dataset>/<model>_…_<dataset>_…`: the seed's naming without a
 *   date folder (the run's name repeats its two folders);
 * - otherwise the first date-named folder is the date, and the folders above
 *   the run (less the date) are the project, joined with ` / `.
 *
 * Nothing is called a model or a dataset unless the path has the seed's shape:
 * a folder per project is a project, not a model.
 */
export function autoParts(path: RunPath): Record<string, string> {
  const { folders, run } = path;
  const n = folders.length;
  const parts: Record<string, string> = { run };
  if (n >= 3 && datePattern.test(folders[n - 3]!)) {
    Object.assign(parts, { date: folders[n - 3]!, model: folders[n - 2]!, dataset: folders[n - 1]! });
    if (n > 3) parts["project"] = folders.slice(0, n - 3).join(" / ");
    return parts;
  }
  if (n >= 2 && run.startsWith(`${folders[n - 2]}_`) && `${run}_`.includes(`_${folders[n - 1]}_`)) {
    Object.assign(parts, { model: folders[n - 2]!, dataset: folders[n - 1]! });
    const above = folders.slice(0, n - 2);
    const dated = above.findIndex((f) => datePattern.test(f));
    if (dated >= 0) parts["date"] = above[dated]!;
    const rest = above.filter((_, i) => i !== dated);
    if (rest.length > 0) parts["project"] = rest.join(" / ");
    return parts;
  }
  const at = folders.findIndex((f) => datePattern.test(f));
  if (at >= 0) parts["date"] = folders[at]!;
  const rest = folders.filter((_, i) => i !== at);
  if (rest.length > 0) parts["project"] = rest.join(" / ");
  return parts;
}

/**
 * The layout a run tree most likely has, for `runsite init`: the seed's
 * pattern when every run has its shape, `{project}/{run}` when every run sits
 * one folder deep, `{run}` when every run is at the top; else `null` (leave
 * the layout to `autoParts`, run by run).
 */
export function detectLayout(paths: readonly RunPath[]): string | null {
  if (paths.length === 0) return null;
  const candidates = ["{date}/{model}/{dataset}/{run}", "{project}/{date}/{model}/{dataset}/{run}", "{date}/{run}", "{project}/{date}/{run}", "{project}/{run}", "{run}"];
  for (const pattern of candidates) {
    const layout = parseLayout(pattern);
    if (paths.every((p) => matchLayout(layout, p) !== null)) return pattern;
  }
  return null;
}
