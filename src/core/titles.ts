import { describe, type Descriptions } from "./descriptions.ts";
import type { ExperimentInfo } from "./experiments.ts";

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
  // Which parameters vary within a group of experiments that share model, optimizer and dataset.
  const varying = new Map<string, Set<string>>();
  const values = new Map<string, Map<string, Set<string>>>();
  for (const info of infos) {
    const key = groupKey(info);
    const byParam = values.get(key) ?? new Map<string, Set<string>>();
    values.set(key, byParam);
    const keys = new Set([...byParam.keys(), ...info.params.map((p) => p.key)]);
    for (const k of keys) {
      const set = byParam.get(k) ?? new Set<string>();
      set.add(info.params.find((p) => p.key === k)?.raw ?? "");
      byParam.set(k, set);
    }
  }
  for (const [key, byParam] of values) varying.set(key, new Set([...byParam].filter(([, set]) => set.size > 1).map(([k]) => k)));

  const titles = infos.map((info) => {
    if (!named(info)) return info.date !== undefined && !info.name.includes(info.date) ? `${info.name} (${info.date})` : info.name;
    const words: string[] = [];
    if (info.project !== undefined) words.push(info.project);
    if (info.model !== undefined) words.push(describe(info.model, descriptions.models).label);
    if (info.optimizer !== undefined) words.push(describe(info.optimizer, descriptions.optimizers).label);
    if (info.dataset !== undefined) words.push(describe(info.dataset, descriptions.datasets).label);
    const vary = varying.get(groupKey(info)) ?? new Set<string>();
    for (const p of info.params) if (vary.has(p.key)) words.push(paramWords(p));
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
function paramWords(p: { key: string; name: string; value: number; raw: string; unit?: string | undefined }): string {
  if (p.unit === "%") return `${p.value} % ${p.name}`;
  return `${p.name} ${p.value}${p.unit ?? ""}`;
}
