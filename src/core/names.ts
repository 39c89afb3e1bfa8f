import type { Role, Split } from "./history.ts";

/** Names of learning-rate columns: a schedule of the optimiser, not a metric. */
const schedules = /^(lr|learning_rate)$/i;

/**
 * Splits a Keras column name into its split and metric: `val_loss` is the
 * validation `loss`; everything else is a training series. `lr` and
 * `learning_rate` are schedules. The name itself is never changed.
 */
export function describeColumn(name: string): { metric: string; split: Split; role: Role } {
  if (name.startsWith("val_") && name.length > 4) {
    const metric = name.slice(4);
    return { metric, split: "validation", role: schedules.test(metric) ? "schedule" : "metric" };
  }
  return { metric: name, split: "train", role: schedules.test(name) ? "schedule" : "metric" };
}
