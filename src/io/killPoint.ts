/**
 * Where the test suite kills a build with SIGKILL (tests/build/atomic.test.ts):
 * `RUNSITE_TEST_KILL=<point>` makes the build kill itself, for real, at that
 * point. Unset, this does nothing.
 *
 * Points: `load` (the archive read, figures being drawn), `mid-pages` (the
 * first experiment page rendering), `swap` (the new site complete, the swap
 * journalled, nothing renamed yet), `swap-renamed` (the old site renamed away,
 * the new one not yet in place).
 */
export function killPoint(point: "load" | "mid-pages" | "swap" | "swap-renamed"): void {
  if (process.env["RUNSITE_TEST_KILL"] === point) process.kill(process.pid, "SIGKILL");
}
