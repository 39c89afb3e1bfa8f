import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { normalizeConfig } from "../../src/core/config.ts";
import { runCli, tempDir } from "../support/cli.ts";

describe("normalizeConfig", () => {
  it("normalizeConfig({}) fills every default", () => {
    const config = normalizeConfig({});
    expect(config).toMatchObject({
      runs: "runs",
      content: "content",
      earlyStopping: { minDelta: 0, patience: 3, grid: [0, 3, 10], semantics: "keras3", monitor: "validation" },
      logScale: "auto",
      strict: false,
      comparisonsDrawAtBuild: 200,
    });
    expect(config.params.map((p) => p.key)).toEqual(["N", "E", "L", "FBL", "DR"]);
  });
  it("normalizeConfig(spec) names the path, what was expected and what was found", () => {
    expect(() => normalizeConfig({ earlyStopping: { patience: "5 epochs" } })).toThrowErrorMatchingInlineSnapshot(
      `[Error: runsite config: earlyStopping.patience: expected a number, received "5 epochs"]`,
    );
    expect(() => normalizeConfig({ earlyStopping: { patience: 2.5 } })).toThrowErrorMatchingInlineSnapshot(
      `[Error: runsite config: earlyStopping.patience: expected an integer, received 2.5]`,
    );
    expect(() => normalizeConfig({ earlyStoping: {} })).toThrowErrorMatchingInlineSnapshot(
      `[Error: runsite config: (root): unknown key "earlyStoping" (check the spelling; see the README's configuration table)]`,
    );
    expect(() => normalizeConfig({ formats: { "a/b": "csv" } })).toThrowErrorMatchingInlineSnapshot(
      `[Error: runsite config: formats.a/b: expected "keras" or "lightning" or "ultralytics" or "huggingface" or "fastai" or "tensorboard" or "keras-history" or "jsonl" or "mlflow" or "yolo-txt" or "simpletransformers" or "wandb-export" or "ludwig" or "nnunet" or "hf-summary", received "csv"]`,
    );
    expect(() => normalizeConfig({ comparisonsDrawAtBuild: -1 })).toThrowErrorMatchingInlineSnapshot(
      `[Error: runsite config: comparisonsDrawAtBuild: expected a value ≥ 0, received -1]`,
    );
    expect(() => normalizeConfig({ comparisonsDrawAtBuild: "all" })).toThrowErrorMatchingInlineSnapshot(
      `[Error: runsite config: comparisonsDrawAtBuild: expected a number, received "all"]`,
    );
  });
});

describe("runsite config files", () => {
  it("runsite.config.mjs is read from the working folder; a wrong value stops with exit code 2 and the key's path", async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, "runsite.config.mjs"), `export default { runs: "nowhere", earlyStopping: { semantics: "tf3" } };\n`);
    const { code, stderr } = await runCli(["build"], cwd);
    expect(code).toBe(2);
    expect(stderr).toContain('runsite: runsite config: earlyStopping.semantics: expected "keras3" or "keras3.6" or "tf2", received "tf3"');
  });
  it("runsite.config.json with invalid JSON names the file", async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, "runsite.config.json"), `{ "runs": `);
    const { code, stderr } = await runCli(["build"], cwd);
    expect(code).toBe(2);
    expect(stderr).toContain(`runsite config: ${path.join(cwd, "runsite.config.json")}:`);
  });
});
