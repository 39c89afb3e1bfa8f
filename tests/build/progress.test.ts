import { describe, expect, it } from "vitest";
import { terminalProgress } from "../../src/cli/progress.ts";

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream };
}

describe("terminalProgress", () => {
  it("terminalProgress(not a TTY) shows nothing: logs get the summary line only", () => {
    expect(terminalProgress(fakeStream(false).stream)).toBeUndefined();
  });
  it("terminalProgress(TTY) draws count/total, rate and ETA, at most every 100 ms, then clears the line", () => {
    const { writes, stream } = fakeStream(true);
    let t = 0;
    const progress = terminalProgress(stream, () => t)!;
    for (let done = 1; done <= 1000; done++) {
      t = done * 2; // 500 items a second
      progress("rendering figures", done, 1000);
    }
    const lines = writes.filter((w) => w.includes("rendering"));
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.length).toBeLessThan(30);
    expect(lines[1]).toMatch(/rendering figures (\d+)\/1000 \((49\d|50\d)\/s, ETA \d+ s\)$/);
    expect(writes.at(-1)).toBe("\r\x1b[2K");
  });
});
