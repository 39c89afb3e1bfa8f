/**
 * The build's timings for the benchmark (`RUNSITE_TIMINGS=1`, read by
 * scripts/bench.ts): one stderr line each, `runsite timings (s): <what>`,
 * stamped with the seconds since the process started, so that the lines of
 * the phases, the swap, the old output's deletion and the exit line up.
 */
export function reportTiming(what: string): void {
  if (timingsWanted()) process.stderr.write(`runsite timings (s): ${what} (${(performance.now() / 1000).toFixed(1)} s after the process started)\n`);
}

/** Whether the build was asked for its timings. */
export function timingsWanted(): boolean {
  return Boolean(process.env["RUNSITE_TIMINGS"]);
}
