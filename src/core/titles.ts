import { describe, type Descriptions } from "./descriptions.ts";
import type { ExperimentInfo, Param } from "./experiments.ts";

/**
 * Readable titles for a set of experiments, in order: what the path says, in
 * words, rather than the file name.
 *
 * - Named models, optimizers and datasets by their labels (`content/labels/`):
 *   "U-Net, AdaDelta, Fat MRI 768×384, 40 % dropout (2021-03-02)". Of the
 *   grammar's parameters only those that differ between experiments with the
 *   same model, optimizer and dataset are named: the rest is the same
 *   everywhere and says nothing.
 * - Runs named by folders: the name, "helmet / train2", with the date.
 *
 * Titles that still collide get the run's name (or its path) after them, so
 * every title is distinct.
 */
export function experimentTitles(infos: readonly ExperimentInfo[], descriptions: Descriptions): string[] {
  const named = (info: ExperimentInfo) => info.model !== undefined || info.dataset !== undefined;
  const groupKey = (info: ExperimentInfo) => JSON.stringify([info.model, info.optimizer, info.dataset]);
  // Which parameters vary within a group of experiments that share model, optimizer and dataset
  // (a parameter missing from some names varies too: DR40 against no DR token).
  const specs = new Map<string, Param>();
  const keysOf = new Map<string, Set<string>>();
  for (const info of infos) {
    const keys = keysOf.get(groupKey(info)) ?? new Set<string>();
    keysOf.set(groupKey(info), keys);
    for (const p of info.params) {
      keys.add(p.key);
      if (!specs.has(p.key)) specs.set(p.key, p);
    }
  }
  const values = new Map<string, Map<string, Set<string>>>();
  for (const info of infos) {
    const byParam = values.get(groupKey(info)) ?? new Map<string, Set<string>>();
    values.set(groupKey(info), byParam);
    for (const k of keysOf.get(groupKey(info))!) {
      const set = byParam.get(k) ?? new Set<string>();
      const p = info.params.find((q) => q.key === k);
      set.add(p === undefined ? String(specs.get(k)?.absent ?? "") : String(p.value));
      byParam.set(k, set);
    }
  }
  const varying = new Map<string, string[]>();
  for (const [key, byParam] of values)
    varying.set(
      key,
      [...byParam].filter(([, set]) => set.size > 1).map(([k]) => k),
    );

  const titles = infos.map((info) => {
    if (!named(info)) return info.date !== undefined && !info.name.includes(info.date) ? `${info.name} (${info.date})` : info.name;
    const words: string[] = [];
    if (info.project !== undefined) words.push(info.project);
    if (info.model !== undefined) words.push(describe(info.model, descriptions.models).label);
    if (info.optimizer !== undefined) words.push(describe(info.optimizer, descriptions.optimizers).label);
    if (info.dataset !== undefined) words.push(describe(info.dataset, descriptions.datasets).label);
    for (const key of varying.get(groupKey(info)) ?? []) {
      const p = info.params.find((q) => q.key === key);
      const spec = specs.get(key)!;
      if (p !== undefined) words.push(paramWords(p));
      else words.push(spec.absent === undefined ? `no ${spec.name} token` : paramWords({ ...spec, value: spec.absent }));
    }
    const title = words.join(", ");
    return info.date === undefined ? title : `${title} (${info.date})`;
  });
  // Distinct: a title shared by several experiments gets each one's run name (or path).
  const count = new Map<string, number>();
  for (const t of titles) count.set(t, (count.get(t) ?? 0) + 1);
  const distinct = titles.map((t, i) => (count.get(t)! > 1 ? `${t} · ${infos[i]!.run}` : t));
  const again = new Map<string, number>();
  for (const t of distinct) again.set(t, (again.get(t) ?? 0) + 1);
  return distinct.map((t, i) => (again.get(t)! > 1 ? `${t} · ${infos[i]!.file}` : t));
}

/** A parameter in words: "40 % dropout", "24 filters", else "E24". */
function paramWords(p: Pick<Param, "name" | "value" | "unit">): string {
  if (p.unit === "%") return `${p.value} % ${p.name}`;
  return `${p.name} ${p.value}${p.unit ?? ""}`;
}
