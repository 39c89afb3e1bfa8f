import type { Progress } from "../io/loadSite.ts";

/**
 * A one-line progress display for a terminal: `rendering figures 1200/10000
 * (850/s, ETA 10 s)`, redrawn at most 10 times a second and cleared at the
 * end. Returns `undefined` when the stream is not a terminal (CI logs get the
 * summary line only).
 */
export function terminalProgress(stream: NodeJS.WriteStream, now: () => number = () => performance.now()): Progress | undefined {
  if (!stream.isTTY) return undefined;
  let started = 0;
  let drawn = 0;
  let step = "";
  return (name, done, total) => {
    const t = now();
    if (name !== step || done === 1) [step, started] = [name, t];
    if (done < total && t - drawn < 100) return;
    drawn = t;
    const rate = done / Math.max((t - started) / 1000, 1e-3);
    const eta = Math.max(0, (total - done) / rate);
    stream.write(`\r\x1b[2Krunsite: ${step} ${done}/${total} (${rate.toFixed(0)}/s, ETA ${eta.toFixed(0)} s)`);
    if (done === total) stream.write("\r\x1b[2K");
  };
}
