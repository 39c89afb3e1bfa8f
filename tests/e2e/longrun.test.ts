import type { Browser } from "playwright";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { historyFigure } from "../../src/core/figures.ts";
import type { History } from "../../src/core/history.ts";
import { renderFigure } from "../../src/render/svg.ts";
import { createRandom } from "../../scripts/generate-archive.ts";
import { launchBrowser } from "../support/browser.ts";

/** A 100 000-step run: a noisy decaying loss with one single-step spike, and its validation twin. */
function longRun(): History {
  const n = 100_000;
  const x = Array.from({ length: n }, (_, i) => i);
  const random = createRandom(7);
  const noise = () => (random() - 0.5) * 0.05;
  const loss = x.map((i) => 0.1 + Math.exp(-i / 15_000) + noise());
  loss[61_234] = 3.75; // the spike that must survive downsampling exactly
  const val = x.map((i) => 0.15 + Math.exp(-i / 20_000) + noise());
  const series = (name: string, y: number[], split: "train" | "validation") => ({ name, metric: "loss", split, axis: "epoch" as const, role: "metric" as const, attempt: 0, x, y });
  return {
    file: "long.csv",
    format: "keras",
    columns: ["epoch", "loss", "val_loss"],
    series: [series("loss", loss, "train"), series("val_loss", val, "validation")],
    attempts: [{ index: 0, line: 2, firstEpoch: 0, lastEpoch: n - 1, rows: n }],
    resumes: [],
  };
}

describe("a 100 000-step run, drawn small", () => {
  let browser: Browser;
  beforeAll(async () => void (browser = await launchBrowser()));
  afterAll(async () => void (await browser?.close()));

  it("the M4-reduced figure is ≤ 150 KB, keeps the spike's exact value, and looks the same as the full figure in Chromium", async () => {
    const history = longRun();
    const options = { labels: {}, earlyStopping: { minDelta: 0.005, patience: 3 }, logScale: "never" as const };
    const small = renderFigure(historyFigure(history, options));
    const full = renderFigure(historyFigure(history, { ...options, downsample: false }));
    expect(small.length).toBeLessThan(150 * 1024);
    expect(full.length).toBeGreaterThan(10 * small.length);
    // The spike's y: the top of the path in both (Plot maps y = 3.75 to the top of the frame).
    const top = (svg: string) =>
      [...svg.matchAll(/<path[^>]* d="([^"]+)"/g)].flatMap((m) => [...m[1]!.matchAll(/[ML][\d.]+,([\d.]+)/g)].map((p) => Number(p[1]))).reduce((a, b) => Math.min(a, b), Infinity);
    expect(top(small)).toBe(top(full));

    const page = await browser.newPage({ viewport: { width: 1000, height: 400 } });
    const diff = await page.evaluate(
      async ([a, b]) => {
        const draw = async (svg: string) => {
          const image = new Image();
          image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
          await image.decode();
          const canvas = document.createElement("canvas");
          [canvas.width, canvas.height] = [image.naturalWidth, image.naturalHeight];
          const context = canvas.getContext("2d")!;
          context.fillStyle = "white";
          context.fillRect(0, 0, canvas.width, canvas.height);
          context.drawImage(image, 0, 0);
          return context.getImageData(0, 0, canvas.width, canvas.height).data;
        };
        const [p, q] = [await draw(a!), await draw(b!)];
        let different = 0;
        for (let i = 0; i < p.length; i += 4) if (Math.abs(p[i]! - q[i]!) + Math.abs(p[i + 1]! - q[i + 1]!) + Math.abs(p[i + 2]! - q[i + 2]!) > 96) different++;
        return { different, pixels: p.length / 4 };
      },
      [small, full],
    );
    // Antialiasing where segments join may differ; the lines themselves may not.
    expect(diff.different / diff.pixels).toBeLessThan(0.005);
    await page.close();
  });
});
