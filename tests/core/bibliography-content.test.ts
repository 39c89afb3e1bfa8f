import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/core/diagnostics.ts";
import { loadContent } from "../../src/io/content.ts";
import { fixturePath, repoRoot } from "../support/fixtures.ts";

const agFile = "2021-03-12/unet_2d_mdice_ag/fat_768x384x1/unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20.csv";

describe("loadContent", () => {
  it("loadContent(fixture) reports every problem in the content folder with file and line, and keeps the valid entries", async () => {
    const content = await loadContent({ contentRoot: fixturePath("bibliography/content"), runsRoot: path.join(repoRoot, "runs"), experiments: [], base: "/" });
    expect(content.diagnostics.map(formatDiagnostic)).toEqual([
      'content/bibliography/baddoi2019.md:5: warning: column "doi": expected a DOI such as 10.1145/3446776; reference "baddoi2019" left out',
      'content/bibliography/baddoi2019.md:6: warning: unknown field "jounral"; reference "baddoi2019" left out',
      'content/bibliography/noyear2020.md:1: warning: column "year": missing required field; reference "noyear2020" left out',
      'content/notes/unknown-key.md:8: warning: unknown citation key "@nobody2099" (expected the name of a file in the bibliography folder (without .md), got "[@nobody2099; @ioffe2015]")',
    ]);
    expect(content.references.map((r) => r.key)).toEqual(["ioffe2015", "milletari2016"]);
    expect(content.references.find((r) => r.key === "ioffe2015")?.citedBy).toEqual([{ kind: "note", title: "A note citing an unknown key", path: "notes/unknown-key/" }]);
  });

  it("loadContent(sample) renders the sample's notes and sidecar without a problem, links under the base, and lists who cites what", async () => {
    const content = await loadContent({
      contentRoot: path.join(repoRoot, "content"),
      runsRoot: path.join(repoRoot, "runs"),
      experiments: [{ file: agFile, slug: agFile.replace(/\.csv$/, ""), title: "stem" }],
      base: "/lab/",
    });
    expect(content.diagnostics).toEqual([]);
    expect(content.notes.map((n) => [n.slug, n.title, n.citedKeys])).toEqual([["multilabel-balanced-dice-loss", "Multi-label balanced Dice loss", ["milletari2016"]]]);
    const sidecar = content.sidecars.get(agFile.replace(/\.csv$/, ""))!;
    expect(sidecar.title).toBe("Attention-gated U-Net with early stopping");
    expect(sidecar.citedKeys).toEqual(["ronneberger2015", "ioffe2015"]);
    expect(sidecar.html).toContain('href="/lab/bibliography/#ioffe2015">Ioffe &#x26; Szegedy, 2015, p. 5</a>');
    expect(Object.fromEntries(content.references.map((r) => [r.key, r.citedBy.map((p) => p.path)]))).toEqual({
      ioffe2015: [`experiments/${agFile.replace(/\.csv$/, "")}/`],
      masters2018: [],
      milletari2016: ["notes/multilabel-balanced-dice-loss/"],
      ronneberger2015: [`experiments/${agFile.replace(/\.csv$/, "")}/`],
      zhang2021: [],
    });
  });
});
