import { Cite } from "@citation-js/core";
import "@citation-js/plugin-bibtex";
import { describe, expect, it } from "vitest";
import { citeprocApa, plainApa, renderExperimentCitation } from "../../src/core/citeExperiment.ts";
import { createRandom } from "../../scripts/generate-archive.ts";

describe("renderExperimentCitation", () => {
  const spec = {
    title: "Attention-gated U-Net with early stopping",
    key: "unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20",
    date: "2021-03-12",
    url: "https://lab.github.io/fat-unet/experiments/2021-03-12/unet_2d_mdice_ag/x_DR20/",
    sha256: "254aaa8c1df4065b71e4c4906ab5a058ac2e8f9d776e626c7050038e55998bf0",
    commit: "0d1f11e21d4cfe61f17206cce6892e7a030ee263",
    author: "Fat MRI lab",
    siteTitle: "Experiment archive",
  };
  it("renderExperimentCitation(spec) writes a BibTeX @misc with the URL in \\url{}, the run year and the file's SHA-256 and commit", () => {
    const { bibtex } = renderExperimentCitation(spec);
    expect(bibtex).toMatch(/^@misc\{unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20,/);
    expect(bibtex).toContain(`howpublished = {\\url{${spec.url}}},`);
    expect(bibtex).toContain("year = {2021}");
    expect(bibtex).toContain(`SHA-256 of the history file: ${spec.sha256}`);
    expect(bibtex).toContain(`git commit: ${spec.commit}`);
    // It parses back: a reference manager can import it.
    const [item] = new Cite(bibtex).data as { title: string; URL: string }[];
    expect(item!.title).toBe(spec.title);
  });
  it("renderExperimentCitation(spec) writes an APA line with author, year, title and URL", () => {
    expect(renderExperimentCitation(spec).apa).toMatch(/^Fat MRI lab\. \(2021\)\. Attention-gated U-Net with early stopping \[Dataset\]\. Experiment archive\. https:\/\/lab\.github\.io\/fat-unet\/experiments\/2021-03-12\/unet_2d_mdice_ag\/x_DR20\/$/);
  });

  it("plainApa(spec) writes exactly what citeproc writes, for every spec it accepts (1 500 generated specs)", () => {
    const random = createRandom(2015);
    // Letters, digits and the punctuation of run names, plus characters citeproc rewrites (quotes, markup, end punctuation).
    const plain = [..."abcXYZ019_-+=%#@/,:;().×", " ", " ", " "];
    const rewritten = [".", "?", "!", '"', "'", "<i>", "*", "&", "ä", "  ", "[", "]"];
    const pick = (chars: string[]) => chars[Math.floor(random() * chars.length)]!;
    const text = () => Array.from({ length: 1 + Math.floor(random() * 14) }, () => pick(random() < 0.98 ? plain : rewritten)).join("");
    let accepted = 0;
    for (let i = 0; i < 1500; i++) {
      const generated = { ...spec, title: text(), author: random() < 0.5 ? spec.author : text(), siteTitle: random() < 0.5 ? spec.siteTitle : text(), date: random() < 0.9 ? spec.date : undefined };
      const fast = plainApa(generated);
      if (fast === null) continue;
      accepted++;
      expect(fast, JSON.stringify(generated)).toBe(citeprocApa(generated));
    }
    // The fast path covers a real share of the generated specs (so the comparison is not vacuous).
    expect(accepted).toBeGreaterThan(100);
  });
  it("plainApa(spec) accepts the titles runsite gives sample runs and refuses undated runs, quotes, markup and end punctuation", () => {
    expect(plainApa({ ...spec, title: "unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20" })).toBe(citeprocApa({ ...spec, title: "unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20" }));
    expect(plainApa(spec)).toBe(citeprocApa(spec));
    for (const title of ['"quoted"', "a <i>b</i>", "Done.", "Why?", "x  y", "ä"]) expect(plainApa({ ...spec, title })).toBeNull();
    expect(plainApa({ ...spec, date: undefined })).toBeNull();
  });
});
