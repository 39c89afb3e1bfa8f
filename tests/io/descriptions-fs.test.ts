import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/core/diagnostics.ts";
import { readDescriptions } from "../../src/io/descriptions-fs.ts";
import { tempDir } from "../support/cli.ts";

describe("readDescriptions", () => {
  it("readDescriptions(content) reads the three tables; a missing file is an empty table", async () => {
    const root = await tempDir();
    await mkdir(path.join(root, "content/labels"), { recursive: true });
    await writeFile(path.join(root, "content/labels/models.yml"), "net:\n  description: A net.\n");
    const { descriptions, diagnostics } = await readDescriptions(path.join(root, "content"), root);
    expect(descriptions).toEqual({ models: { net: { description: "A net." } }, datasets: {}, optimizers: {} });
    expect(diagnostics).toEqual([]);
  });
  it("readDescriptions(bad entry) reports it as content/labels/<kind>.yml:line", async () => {
    const root = await tempDir();
    await mkdir(path.join(root, "content/labels"), { recursive: true });
    await writeFile(path.join(root, "content/labels/datasets.yml"), "# datasets\nok: Fine\nbad:\n  labl: Typo\n");
    const { descriptions, diagnostics } = await readDescriptions(path.join(root, "content"), root);
    expect(descriptions.datasets).toEqual({ ok: { label: "Fine" } });
    expect(diagnostics.map(formatDiagnostic)).toEqual([expect.stringMatching(/^content\/labels\/datasets\.yml:4: warning: column "bad": .*labl.*; entry left out$/)]);
  });
});
