import { readFileSync } from "node:fs";
import path from "node:path";
import { describe as suite, expect, it } from "vitest";
import { describe, parseDescriptions } from "../../src/core/descriptions.ts";
import { repoRoot } from "../support/fixtures.ts";

suite("parseDescriptions", () => {
  it("parseDescriptions(text, file) reads name: {label, description} entries; a bare string is a label", () => {
    const text = "unet:\n  label: U-Net\n  description: A 2D U-Net.\nAdam: Adam optimizer\nSGD:\n  description: Plain SGD.\n";
    expect(parseDescriptions(text, "models.yml")).toEqual({
      descriptions: { unet: { label: "U-Net", description: "A 2D U-Net." }, Adam: { label: "Adam optimizer" }, SGD: { description: "Plain SGD." } },
      diagnostics: [],
    });
  });
  it("parseDescriptions(empty or comments only) is an empty table without diagnostics", () => {
    expect(parseDescriptions("", "x.yml")).toEqual({ descriptions: {}, diagnostics: [] });
    expect(parseDescriptions("# nothing yet\n", "x.yml")).toEqual({ descriptions: {}, diagnostics: [] });
  });
  it("parseDescriptions(bad entries) reports each at its line and keeps the good ones", () => {
    const text = ["good:", "  description: Fine.", "typo:", "  descripton: Misspelt.", "number:", "  label: 42", "empty:", "last: Last"].join("\n");
    const { descriptions, diagnostics } = parseDescriptions(text, "content/labels/models.yml");
    expect(Object.keys(descriptions)).toEqual(["good", "last"]);
    expect(diagnostics.map((d) => [d.line, d.column, d.fatal, d.ruleId])).toEqual([
      [4, "typo", false, "descriptions-entry"],
      [6, "number.label", false, "descriptions-entry"],
      [7, "empty", false, "descriptions-entry"],
    ]);
    expect(diagnostics[0]!.reason).toMatch(/descripton.*entry left out$/);
    expect(diagnostics.every((d) => d.file === "content/labels/models.yml")).toBe(true);
  });
  it("parseDescriptions(invalid YAML) reports the line and keeps nothing", () => {
    const { descriptions, diagnostics } = parseDescriptions("a:\n  label: [unclosed\nb: x\n", "x.yml");
    expect(descriptions).toEqual({});
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ file: "x.yml", ruleId: "yaml", fatal: false });
    expect(diagnostics[0]!.line).toBeGreaterThan(1);
  });
  it("parseDescriptions(a list) says the table must be a mapping", () => {
    expect(parseDescriptions("- a\n- b\n", "x.yml").diagnostics).toEqual([
      {
        file: "x.yml",
        line: 1,
        reason: "descriptions must be a mapping from name to {label, description}",
        expected: "name: {label: …, description: …}",
        actual: "a list",
        fatal: false,
        ruleId: "descriptions-shape",
      },
    ]);
  });
  it("parseDescriptions(content/labels/*.yml) reads the shipped tables without diagnostics", () => {
    const read = (kind: string) => parseDescriptions(readFileSync(path.join(repoRoot, "content/labels", `${kind}.yml`), "utf8"), `${kind}.yml`);
    const models = read("models");
    expect(models.diagnostics).toEqual([]);
    expect(models.descriptions["unet_2d_mdice"]?.description).toBe("2D U-Net, multi-label balanced Dice loss");
    expect(models.descriptions["unet_2d_mdice_ag"]?.description).toBe("2D U-Net with attention gates, multi-label balanced Dice loss");
    const datasets = read("datasets");
    expect(datasets.diagnostics).toEqual([]);
    expect(datasets.descriptions["fat_768x384x1"]?.description).toBe("fat MRI slices, 768×384 px, 1 channel");
    expect(datasets.descriptions["fat_384x192x1"]?.description).toBe("fat MRI slices, 384×192 px, 1 channel");
    const optimizers = read("optimizers");
    expect(optimizers.diagnostics).toEqual([]);
    expect(Object.keys(optimizers.descriptions)).toEqual(["AdaDelta", "Adam", "SGD"]);
    for (const d of Object.values(optimizers.descriptions)) expect(d.description).toMatch(/^[A-Z].*\.$/);
  });
});

suite("describe", () => {
  const table = { AdaDelta: { label: "Adadelta", description: "Adaptive." } };
  it("describe(name, table) finds an exact entry, else one differing only in case", () => {
    expect(describe("AdaDelta", table)).toEqual({ label: "Adadelta", description: "Adaptive." });
    expect(describe("adadelta", table)).toEqual({ label: "Adadelta", description: "Adaptive." });
  });
  it("describe(unknown name) shows the name itself, with no description", () => {
    expect(describe("<b>Lion</b>", table)).toEqual({ label: "<b>Lion</b>", description: undefined });
  });
});
