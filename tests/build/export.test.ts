import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../support/cli.ts";
import { repoRoot } from "../support/fixtures.ts";

const dr40 = "2021-03-02/unet_2d_mdice/fat_768x384x1/unet_2d_mdice_AdaDelta_fat_768x384x1_N204_E24_L4_FBL24_DR40";
const flags = ["--runs", path.join(repoRoot, "runs"), "--content", path.join(repoRoot, "content")];

describe("runsite export --pdf (Chromium through Playwright)", () => {
  it("runsite export --pdf RUN writes the figure as a one-page vector PDF the figure's size, light and dark", async () => {
    const cwd = await tempDir();
    const light = await runCli(["export", "--pdf", ...flags, path.join(repoRoot, "runs", `${dr40}.csv`)], cwd);
    expect(light.code, light.stderr).toBe(0);
    const dark = await runCli(["export", "--pdf", "--dark", "--out", "slides", ...flags, dr40], cwd);
    expect(dark.code, dark.stderr).toBe(0);
    expect(light.stdout.trim()).toBe(`figures/${dr40}.pdf`);
    expect(dark.stdout.trim()).toBe(`slides/${dr40}-dark.pdf`);
    for (const file of [light.stdout.trim(), dark.stdout.trim()]) {
      const pdf = (await readFile(path.join(cwd, file))).toString("latin1");
      expect(pdf.startsWith("%PDF-")).toBe(true);
      expect(pdf.match(/\/Type \/Page\b(?!s)/g)).toHaveLength(1);
      // 960 px wide at 96 px per inch: 720 pt.
      expect(pdf).toMatch(/\/MediaBox \[0 0 720 39\d(\.\d+)?\]/);
      // Vectors and text, not a picture of the figure.
      expect(pdf).not.toMatch(/\/Subtype\s*\/Image/);
      expect(pdf).toMatch(/\/Type \/Font/);
    }
  });

  it("runsite export without --pdf, or with a run that is not in the archive, is a usage error", async () => {
    const cwd = await tempDir();
    const none = await runCli(["export", ...flags], cwd);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("expected --pdf");
    const unknown = await runCli(["export", "--pdf", ...flags, "no/such/run.csv"], cwd);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('export: no experiment "no/such/run.csv"');
  });
});
