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
    authors: [{ name: "Fat MRI lab" }],
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
    expect(renderExperimentCitation(spec).apa).toMatch(
      /^Fat MRI lab\. \(2021\)\. Attention-gated U-Net with early stopping \[Dataset\]\. Experiment archive\. https:\/\/lab\.github\.io\/fat-unet\/experiments\/2021-03-12\/unet_2d_mdice_ag\/x_DR20\/$/,
    );
  });

  it("plainApa(spec) writes exactly what citeproc writes, for every spec it accepts (1 500 generated specs)", () => {
    const random = createRandom(2015);
    // Letters, digits and the punctuation of run names, plus characters citeproc rewrites (quotes, markup, end punctuation).
    const plain = [..."abcXYZ019_-+=%#@/,:;().×", " ", " ", " "];
    const rewritten = [".", "?", "!", '"', "'", "<i>", "*", "&", "ä", "  ", "[", "]"];
    const pick = (chars: string[]) => chars[Math.floor(random() * chars.length)]!;
    const text = () => Array.from({ length: 1 + Math.floor(random() * 14) }, () => pick(random() < 0.98 ? plain : rewritten)).join("");
    // Organisations, persons (with and without given names, hyphens, particles), none, many.
    const people = [
      { name: "Fat MRI lab" },
      { family: "Doe", given: "Jane" },
      { family: "Müller-Lüdenscheidt", given: "Jean-Paul" },
      { family: "van der Berg" },
      { name: "Lab Inc." },
      { family: "Ng", given: "A. Y." },
    ];
    const pickAuthors = () => {
      const n = random() < 0.15 ? 0 : random() < 0.1 ? 22 : 1 + Math.floor(random() * 4);
      return Array.from({ length: n }, () => (random() < 0.2 ? { name: text() } : people[Math.floor(random() * people.length)]!));
    };
    let accepted = 0;
    let acceptedWithoutAuthors = 0;
    for (let i = 0; i < 1500; i++) {
      const generated = { ...spec, title: text(), authors: pickAuthors(), siteTitle: random() < 0.5 ? spec.siteTitle : text(), date: random() < 0.9 ? spec.date : undefined };
      const fast = plainApa(generated);
      if (fast === null) continue;
      accepted++;
      if (generated.authors.length === 0) acceptedWithoutAuthors++;
      expect(fast, JSON.stringify(generated)).toBe(citeprocApa(generated));
    }
    // The fast path covers a real share of the generated specs, with and without authors (so the comparison is not vacuous).
    expect(accepted).toBeGreaterThan(100);
    expect(acceptedWithoutAuthors).toBeGreaterThan(30);
  });
  it("plainApa(spec) accepts the titles runsite gives sample runs and refuses undated runs, quotes, markup and end punctuation", () => {
    expect(plainApa({ ...spec, title: "unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20" })).toBe(
      citeprocApa({ ...spec, title: "unet_2d_mdice_ag_AdaDelta_fat_768x384x1_N204_E40_L4_FBL24_DR20" }),
    );
    expect(plainApa(spec)).toBe(citeprocApa(spec));
    for (const title of ['"quoted"', "a <i>b</i>", "Done.", "Why?", "x  y", "ä"]) expect(plainApa({ ...spec, title })).toBeNull();
    expect(plainApa({ ...spec, date: undefined })).toBeNull();
  });
});

describe("renderExperimentCitation with people", () => {
  const spec = {
    title: "U-Net, AdaDelta, Fat MRI 768×384, 40 % dropout (2021-03-02)",
    key: "unet_2d_mdice_AdaDelta_fat_768x384x1_N204_E24_L4_FBL24_DR40",
    date: "2021-03-02",
    url: "https://lab.example.org/fat-unet/experiments/2021-03-02/unet_2d_mdice/fat_768x384x1/unet_2d_mdice_AdaDelta_fat_768x384x1_N204_E24_L4_FBL24_DR40/",
    sha256: "c52e37bff3b2b9fe3d262b71bddc55a6332efb3fc4ef81fcfacfa97d1a8ac358",
    authors: [{ family: "Doe", given: "Jane", orcid: "https://orcid.org/0000-0002-1825-0097" }, { family: "Roe", given: "Richard" }, { name: "Fat Segmentation Lab" }],
    siteTitle: "Experiment archive",
  };
  it("renderExperimentCitation(spec) round-trips through citation-js: title, persons and organisation, year, URL, the stem in the note", () => {
    const { bibtex } = renderExperimentCitation(spec);
    expect(bibtex).toMatch(new RegExp(`^@misc\\{${spec.key},`));
    const [item] = new Cite(bibtex).data as { "citation-key": string; title: string; URL: string; author: unknown[]; issued: { "date-parts": number[][] }; note: string }[];
    expect(item!["citation-key"]).toBe(spec.key);
    expect(item!.title).toBe(spec.title);
    expect(item!.URL).toBe(spec.url);
    expect(item!.issued["date-parts"][0]![0]).toBe(2021);
    // BibTeX keeps an organisation whole in braces; read back, it is a family name alone, never split.
    expect(item!.author).toEqual([{ family: "Doe", given: "Jane" }, { family: "Roe", given: "Richard" }, { family: "Fat Segmentation Lab" }]);
    expect(item!.note).toContain(`run ${spec.key}`);
    expect(item!.note).toContain(spec.sha256);
    expect(item!.note).not.toContain("git commit");
  });
  it("renderExperimentCitation(spec) writes APA initials for persons and the name of an organisation", () => {
    expect(renderExperimentCitation(spec).apa).toBe(`Doe, J., Roe, R., & Fat Segmentation Lab. (2021). ${spec.title} [Dataset]. Experiment archive. ${spec.url}`);
  });
  it("renderExperimentCitation(spec) without authors starts with the title, as APA (citeproc) does", () => {
    const { apa, bibtex } = renderExperimentCitation({ ...spec, authors: [] });
    expect(apa).toBe(`${spec.title}. (2021). [Dataset]. Experiment archive. ${spec.url}`);
    expect(bibtex).not.toContain("author");
  });
});
