import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatPaperTable, significantDecimals } from "../../src/core/exportTable.ts";
import { latexText } from "../../src/core/latex.ts";
import { parseMetricLabels } from "../../src/core/labels.ts";
import { parseHistory } from "../../src/core/load.ts";
import { stopTable } from "../../src/core/stopTable.ts";
import { repoRoot } from "../support/fixtures.ts";

const labels = parseMetricLabels(readFileSync(path.join(repoRoot, "content/labels/metrics.yml"), "utf8"), "metrics.yml").labels;
const run = "2021-03-12/unet_2d_mdice_ag/fat_768x384x1/unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20.csv";
const { history } = parseHistory(readFileSync(path.join(repoRoot, "runs", run)), run, null);
const { rows } = stopTable(history!.series, { patience: [0, 3, 10], minDelta: 0.005, directions: labels, file: run });
const options = {
  patience: 3,
  labels,
  title: "Attention U-Net, AdaDelta, Fat MRI 768×384, 20 % dropout (2021-03-12)",
  key: "unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20",
  epochOffset: 1,
  semantics: "keras3",
};
const latex = formatPaperTable(rows, "latex", options);

/** The body rows of the tabular, split into cells (the structure a reader of the .tex relies on). */
function tabularRows(tex: string): string[][] {
  const body = tex.split("\\midrule")[1]!.split("\\bottomrule")[0]!;
  return body
    .split("\\\\")
    .map((r) => r.trim())
    .filter(Boolean)
    .map((r) => r.split(" & ").map((c) => c.trim()));
}

describe("formatPaperTable", () => {
  it('formatPaperTable(rows, "latex", {patience: 3}) is a table float with caption, label, booktabs rules and one S column per number', () => {
    expect(latex).toMatch(/^% .*\\usepackage\{booktabs\} \\usepackage\{siunitx\}\n\\begin\{table\}\n/);
    expect(latex).toContain("\\label{tab:early-stopping:unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20}");
    expect(latex).toMatch(
      /\\caption\{Early stopping replayed on Attention U-Net, AdaDelta, Fat MRI 768\\texttimes\{\}384, 20 \\% dropout \(2021-03-12\): .*patience 3, min\\_delta 0\.005/,
    );
    const spec = /\\begin\{tabular\}\{([^\n]*)\}\n/.exec(latex)![1]!;
    // Epochs are whole; the values' widest decimals are the loss's 0.004782.
    expect(spec.split(" ")).toEqual(["l", "S[table-format=2.0]", "S[table-format=1.0]", "S[table-format=1.6]", "S[table-format=1.6]", "S[table-format=1.0]"]);
    const ruleOrder = ["\\toprule", "\\midrule", "\\bottomrule"].map((r) => latex.indexOf(r));
    expect(ruleOrder).toEqual([...ruleOrder].sort((a, b) => a - b));
    expect(ruleOrder.every((i) => i > 0)).toBe(true);
  });

  it('formatPaperTable(rows, "latex") has one row per validation metric at the chosen patience, readable labels, epochs as Keras prints them', () => {
    const body = tabularRows(latex);
    // In the order of content/labels/metrics.yml, as the figure's panels.
    expect(body.map((cells) => cells[0])).toEqual([
      "Multilabel Balanced Dice Loss $\\downarrow$",
      "Multilabel Dice Score $\\uparrow$",
      "Background Dice Score $\\uparrow$",
      "VAT Dice Score $\\uparrow$",
      "SAT Dice Score $\\uparrow$",
    ]);
    const validation = rows.filter((r) => r.split === "validation" && r.patience === 3);
    expect(body).toHaveLength(validation.length);
    expect(body.every((cells) => cells.length === 6)).toBe(true);
    const loss = body.find((cells) => cells[0]!.startsWith("Multilabel Balanced Dice Loss"))!;
    const val = validation.find((r) => r.series === "val_loss")!;
    // inspect.test.ts: val_loss stops at CSV epoch 9 and restores 6, i.e. Keras' epochs 10 and 7.
    expect(loss).toEqual([
      "Multilabel Balanced Dice Loss $\\downarrow$",
      String(val.stoppedEpoch! + 1),
      String(val.restoredEpoch! + 1),
      val.restoredValue!.toFixed(significantDecimals(val.restoredValue)),
      val.finalValue!.toFixed(significantDecimals(val.finalValue)),
      String(val.epochsSaved),
    ]);
    expect(loss.slice(1, 3)).toEqual(["10", "7"]);
    // Every number cell reads as a number with 4 significant digits, or a braced non-number.
    for (const cells of body) for (const cell of cells.slice(1)) expect(cell).toMatch(/^(-?\d+(\.\d+)?|\{.*\})$/);
    for (const cells of body) for (const cell of cells.slice(3, 5)) if (/^\d/.test(cell)) expect(cell.replace(/^0\.0*/, "").replace(".", "")).toHaveLength(4);
  });

  it('formatPaperTable(rows, "markdown") matches the LaTeX: the same rows and cells, a Pandoc caption with the label', () => {
    const markdown = formatPaperTable(rows, "markdown", options);
    const lines = markdown.trim().split("\n");
    expect(lines[0]).toBe("| Metric | Stops | Restores | Restored | Final | Saved |");
    expect(lines[1]).toBe("| :--- | ---: | ---: | ---: | ---: | ---: |");
    const table = lines.slice(2, lines.indexOf(""));
    const cells = table.map((l) => l.slice(2, -2).split(" | "));
    expect(cells.map((c) => c.slice(1))).toEqual(tabularRows(latex).map((c) => c.slice(1).map((x) => (x === "{---}" ? "—" : x))));
    expect(lines.at(-1)).toMatch(/^Table: Early stopping replayed on .* \{#tab:early-stopping:unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20\}$/);
  });

  it('formatPaperTable(rows, "latex") shows the epoch restore_best_weights leaves, not the best one: none (tf2 without a stop) is {---}', () => {
    const tf2 = stopTable(history!.series, { patience: [3], minDelta: 0.005, semantics: "tf2", directions: labels, file: run }).rows.map((r) => ({
      ...r,
      stoppedEpoch: null,
      restoredEpoch: null,
      restoredValue: null,
    }));
    for (const cells of tabularRows(formatPaperTable(tf2, "latex", options))) expect(cells.slice(1, 4)).toEqual(["{---}", "{---}", "{---}"]);
  });

  it('formatPaperTable(rows, "latex") writes a run that never stops as {---} and escapes names with LaTeX specials', () => {
    const never = rows.map((r) => ({ ...r, stoppedEpoch: null, metric: r.metric === "loss" ? "loss_%&#" : r.metric }));
    const tex = formatPaperTable(never, "latex", { ...options, title: "a_b & c" });
    expect(tabularRows(tex).every((cells) => cells[1] === "{---}")).toBe(true);
    expect(tex).toContain("loss\\_\\%\\&\\#");
    expect(tex).toContain("a\\_b \\& c");
    expect(latexText("50 % × 2 — Δ")).toBe("50 \\% \\texttimes{} 2 --- $\\Delta$");
  });

  // Debian's TeX (texlive-latex-base, -latex-extra, -science) compiles the table where it is installed.
  const pdflatex = spawnSync("pdflatex", ["--version"]).status === 0;
  const packages = pdflatex && spawnSync("kpsewhich", ["siunitx.sty", "booktabs.sty"], { encoding: "utf8" }).stdout.trim().split("\n").length === 2;
  it.skipIf(!packages)(
    `pdflatex compiles the exported table with booktabs and siunitx${packages ? "" : " (skipped: pdflatex with booktabs.sty and siunitx.sty is not installed; apt-get install texlive-latex-base texlive-latex-extra texlive-science)"}`,
    () => {
      const dir = mkdtempSync(path.join(tmpdir(), "runsite-tex-"));
      try {
        const never = formatPaperTable(
          rows.map((r) => ({ ...r, stoppedEpoch: null })),
          "latex",
          { ...options, key: "never" },
        );
        writeFileSync(
          path.join(dir, "paper.tex"),
          `\\documentclass{article}\n\\usepackage{booktabs}\n\\usepackage{siunitx}\n\\begin{document}\n${latex}\n${never}\nTable~\\ref{tab:early-stopping:${options.key}}.\n\\end{document}\n`,
        );
        const result = spawnSync("pdflatex", ["-interaction=nonstopmode", "-halt-on-error", "paper.tex"], { cwd: dir, encoding: "utf8" });
        expect(result.status, result.stdout.slice(-3000)).toBe(0);
        const log = readFileSync(path.join(dir, "paper.log"), "utf8");
        expect(log).not.toMatch(/^! /m);
        expect(log).not.toMatch(/Overfull \\hbox/);
        expect(readFileSync(path.join(dir, "paper.pdf")).subarray(0, 5).toString()).toBe("%PDF-");
        // The text of the PDF has the caption and the label resolved (a second pass resolves \ref).
        execFileSync("pdflatex", ["-interaction=nonstopmode", "paper.tex"], { cwd: dir });
        expect(readFileSync(path.join(dir, "paper.aux"), "utf8")).toContain(`\\newlabel{tab:early-stopping:${options.key}}{{1}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
