import type { Attempt, Format, History, Resume, Role, Series, Split } from "../history.ts";

/** How one value column of a one-row-per-epoch table becomes a series. */
export interface EpochColumn {
  /** The name as the history should show it. */
  name: string;
  metric: string;
  split: Split;
  role: Role;
}

/** One data row of a one-row-per-epoch table, already read as numbers. */
export interface EpochRow {
  /** Physical line of the row. */
  line: number;
  /** The epoch as written in the file. */
  epoch: number;
  /** One value per `EpochColumn`, in the same order. */
  values: (number | null)[];
  /** True when the file itself marks a new training before this row (fastai repeats its header). */
  restart: boolean;
}

/**
 * Turns the rows of a one-row-per-epoch table (fastai, Ultralytics) into a
 * history, with the same attempt rules as Keras: a new attempt begins where
 * the file says so or where the epoch goes back to the file's first epoch;
 * an epoch that goes back less far is a resume, and the later rows win at
 * the repeated epochs. Returns `null` when there are no rows.
 */
export function buildEpochHistory(file: string, format: Format, header: string[], columns: readonly EpochColumn[], rows: readonly EpochRow[]): History | null {
  const attempts: Attempt[] = [];
  const resumes: Resume[] = [];
  const byAttempt: Map<number, (number | null)[]>[] = [];
  const firstEpoch = rows[0]?.epoch;
  let previous: number | null = null;
  for (const row of rows) {
    let attempt = attempts[attempts.length - 1];
    const wentBack = previous !== null && row.epoch <= previous;
    if (attempt === undefined || row.restart || (wentBack && row.epoch <= firstEpoch!)) {
      attempt = { index: attempts.length, line: row.line, firstEpoch: row.epoch, lastEpoch: row.epoch, rows: 0 };
      attempts.push(attempt);
      byAttempt.push(new Map());
    } else if (wentBack) {
      resumes.push({ attempt: attempt.index, epoch: row.epoch, line: row.line });
    }
    byAttempt[attempt.index]!.set(row.epoch, row.values);
    attempt.rows++;
    attempt.lastEpoch = Math.max(attempt.lastEpoch, row.epoch);
    previous = row.epoch;
  }
  if (attempts.length === 0) return null;
  const series: Series[] = [];
  byAttempt.forEach((values, attempt) => {
    const epochs = [...values.keys()].sort((a, b) => a - b);
    columns.forEach((column, c) => {
      series.push({ ...column, axis: "epoch", attempt, x: epochs, y: epochs.map((e) => values.get(e)![c] ?? null) });
    });
  });
  return { file, format, columns: header, series, attempts, resumes };
}
