import { spawn } from "node:child_process";
import { appendFile, copyFile, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir, userEnv } from "../support/cli.ts";
import { repoRoot } from "../support/fixtures.ts";

const run = "2021-03-12/unet_2d_mdice_ag/fat_768x384x1/unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20";

describe("runsite dev", () => {
  it("runsite dev: appending a row to a history shows the new epoch on reload", async () => {
    const cwd = await tempDir();
    const runs = path.join(cwd, "runs");
    await mkdir(path.join(runs, path.dirname(run)), { recursive: true });
    await copyFile(path.join(repoRoot, "runs", `${run}.csv`), path.join(runs, `${run}.csv`));
    const child = spawn(process.execPath, [path.join(repoRoot, "bin/runsite.mjs"), "dev", "--runs", runs, "--content", path.join(repoRoot, "content"), "--port", "0"], {
      cwd,
      env: userEnv(),
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d) => {
          out += d;
          const m = /previewing .* at (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on("exit", (code) => reject(new Error(`runsite dev exited with ${code}`)));
      });
      const epochs = async () => {
        const response = await fetch(`${url}experiments/${run}/`);
        const html = await response.text();
        if (!response.ok) throw new Error(`HTTP ${response.status}: ${html.slice(0, 300)}`);
        return Number(/Epochs run: <strong[^>]*>(\d+)<\/strong>/.exec(html)?.[1]);
      };
      expect(await epochs()).toBe(10);
      // What Keras' CSVLogger appends at the end of epoch 10.
      const last = (await readFile(path.join(runs, `${run}.csv`), "utf8")).trimEnd().split("\r\n").at(-1)!;
      await appendFile(path.join(runs, `${run}.csv`), `10${last.slice(last.indexOf(","))}\r\n`);
      expect(await epochs()).toBe(11);
    } finally {
      child.kill("SIGTERM");
    }
  });
});
