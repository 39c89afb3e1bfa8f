import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Cite } from "@citation-js/core";
import "@citation-js/plugin-bibtex";
import { describe, expect, it } from "vitest";
import { parseBibliography, parseReference } from "../../src/core/bibliography.ts";
import { createCitationEngine } from "../../src/core/citeproc.ts";
import { formatDiagnostic } from "../../src/core/diagnostics.ts";
import { fixturePath, repoRoot } from "../support/fixtures.ts";

/** The files of a bibliography folder, as `parseBibliography` takes them. */
function readFolder(dir: string, shownAs: string) {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => ({ file: `${shownAs}/${name}`, text: readFileSync(path.join(dir, name), "utf8") }));
}

const sample = parseBibliography(readFolder(path.join(repoRoot, "content/bibliography"), "content/bibliography"));

describe("parseReference", () => {
  it("parseReference(text, file) turns frontmatter into a CSL item keyed by the file name", () => {
    const text =
      '---\ntype: article-journal\nauthors: ["Zhang, Chiyuan", Google Brain]\nyear: 2021\ntitle: T\ncontainer: Communications of the ACM\nvolume: 64\nissue: 3\npages: 107–115\ndoi: 10.1145/3446776\n---\nNotes.\n';
    const { reference, diagnostics } = parseReference(text, "content/bibliography/zhang2021.md");
    expect(diagnostics).toEqual([]);
    expect(reference?.key).toBe("zhang2021");
    expect(reference?.csl).toEqual({
      id: "zhang2021",
      "citation-key": "zhang2021",
      type: "article-journal",
      title: "T",
      author: [{ family: "Zhang", given: "Chiyuan" }, { literal: "Google Brain" }],
      issued: { "date-parts": [[2021]] },
      "container-title": "Communications of the ACM",
      volume: "64",
      issue: "3",
      page: "107-115",
      DOI: "10.1145/3446776",
    });
    // Frontmatter lines stay as blank lines, so note positions are the file's lines.
    expect(reference?.notes.split("\n")[11]).toBe("Notes.");
  });

  it("parseReference(text, file) reports a missing required field at the frontmatter's first line and leaves the entry out", () => {
    const file = "content/bibliography/noyear2020.md";
    const { reference, diagnostics } = parseReference(readFileSync(fixturePath("bibliography/content/bibliography/noyear2020.md"), "utf8"), file);
    expect(reference).toBeNull();
    expect(diagnostics.map(formatDiagnostic)).toMatchInlineSnapshot(`
      [
        "content/bibliography/noyear2020.md:1: warning: column "year": missing required field; reference "noyear2020" left out",
      ]
    `);
  });

  it("parseReference(text, file) reports a malformed DOI and a misspelt key at their own lines", () => {
    const file = "content/bibliography/baddoi2019.md";
    const { reference, diagnostics } = parseReference(readFileSync(fixturePath("bibliography/content/bibliography/baddoi2019.md"), "utf8"), file);
    expect(reference).toBeNull();
    expect(diagnostics.map((d) => [d.line, d.column, d.reason])).toEqual([
      [5, "doi", 'expected a DOI such as 10.1145/3446776; reference "baddoi2019" left out'],
      [6, undefined, 'unknown field "jounral"; reference "baddoi2019" left out'],
    ]);
  });

  it("parseReference(text, file) requires a doi, url or arxiv field", () => {
    const { reference, diagnostics } = parseReference('---\nauthors: ["Doe, J"]\nyear: 2000\ntitle: T\n---\n', "b/doe2000.md");
    expect(reference).toBeNull();
    expect(diagnostics.map(formatDiagnostic)).toEqual(['b/doe2000.md:1: warning: expected a doi, url or arxiv field; reference "doe2000" left out']);
  });

  it("parseReference(text, file) reports malformed YAML with its line", () => {
    const { reference, diagnostics } = parseReference('---\nauthors: ["Doe, J"\nyear: 2000\n---\n', "b/doe2000.md");
    expect(reference).toBeNull();
    expect(diagnostics[0]?.reason).toMatch(/^invalid YAML frontmatter/);
    expect(diagnostics[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it("parseReference(text, file) rejects a file name that is not a citation key", () => {
    const { reference, diagnostics } = parseReference('---\nauthors: ["Doe, J"]\nyear: 2000\ntitle: T\nurl: https://example.org/\n---\n', "b/my paper.md");
    expect(reference).toBeNull();
    expect(diagnostics[0]?.ruleId).toBe("bibliography-key");
  });
});

describe("the sample bibliography", () => {
  it("parseBibliography(content/bibliography) reads the seed's five references without a problem", () => {
    expect(sample.diagnostics).toEqual([]);
    expect(sample.references.map((r) => r.key)).toEqual(["ioffe2015", "masters2018", "milletari2016", "ronneberger2015", "zhang2021"]);
  });

  it("createCitationEngine(references).reference(key) formats each entry in APA 7 with citeproc, DOIs and URLs as links", () => {
    const engine = createCitationEngine(sample.references.map((r) => r.csl));
    expect(engine.order).toEqual(["ioffe2015", "masters2018", "milletari2016", "ronneberger2015", "zhang2021"]);
    expect(engine.order.map((key) => engine.reference(key))).toEqual([
      'Ioffe, S., &#38; Szegedy, C. (2015). Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift. <i>Proceedings of the 32nd International Conference on Machine Learning, Proceedings of Machine Learning Research</i>, <i>37</i>, 448–456. <a href="https://proceedings.mlr.press/v37/ioffe15.html">https://proceedings.mlr.press/v37/ioffe15.html</a>',
      'Masters, D., &#38; Luschi, C. (2018). <i>Revisiting Small Batch Training for Deep Neural Networks</i> (arXiv:1804.07612). arXiv. <a href="https://doi.org/10.48550/arXiv.1804.07612">https://doi.org/10.48550/arXiv.1804.07612</a>',
      'Milletari, F., Navab, N., &#38; Ahmadi, S.-A. (2016). V-Net: Fully Convolutional Neural Networks for Volumetric Medical Image Segmentation. <i>2016 Fourth International Conference on 3D Vision (3DV)</i>, 565–571. <a href="https://doi.org/10.1109/3DV.2016.79">https://doi.org/10.1109/3DV.2016.79</a>',
      'Ronneberger, O., Fischer, P., &#38; Brox, T. (2015). U-Net: Convolutional Networks for Biomedical Image Segmentation. <i>Medical Image Computing and Computer-Assisted Intervention – MICCAI 2015, Lecture Notes in Computer Science</i>, <i>9351</i>, 234–241. <a href="https://doi.org/10.1007/978-3-319-24574-4_28">https://doi.org/10.1007/978-3-319-24574-4_28</a>',
      'Zhang, C., Bengio, S., Hardt, M., Recht, B., &#38; Vinyals, O. (2021). Understanding deep learning (still) requires rethinking generalization. <i>Communications of the ACM</i>, <i>64</i>(3), 107–115. <a href="https://doi.org/10.1145/3446776">https://doi.org/10.1145/3446776</a>',
    ]);
  });

  it("createCitationEngine(references).bibtex() parses back through citation-js with the same keys, titles, years and DOIs", () => {
    const engine = createCitationEngine(sample.references.map((r) => r.csl));
    const parsed = new Cite(engine.bibtex()).data as Array<Record<string, unknown>>;
    const summary = (item: Record<string, unknown>) => ({
      key: item["citation-key"],
      title: item["title"],
      year: (item["issued"] as { "date-parts": number[][] })["date-parts"][0]![0],
      doi: item["DOI"],
      authors: (item["author"] as Array<{ family: string }>).map((a) => a.family),
    });
    expect(parsed.map(summary)).toEqual(engine.order.map((key) => summary(sample.references.find((r) => r.key === key)!.csl as unknown as Record<string, unknown>)));
  });

  it("the notes keep the seed's quotes and the Polish remark with its translation", () => {
    const notes = Object.fromEntries(sample.references.map((r) => [r.key, r.notes.replace(/\s*\n>?\s*/g, " ")]));
    expect(notes["ronneberger2015"]).toContain(
      "„[…] presents a network and training strategy that relies on the strong use of data augmentation to use the available annotated samples more efficiently”",
    );
    expect(notes["ronneberger2015"]).toContain("W naszym przypadku nie to jest najmocniejszą stroną tego algorytmu.");
    expect(notes["ronneberger2015"]).toContain("in our case this is not the strongest side of this algorithm");
    expect(notes["ioffe2015"]).toContain("p. 5, sections 3.3 and 3.4: batch normalization enables higher learning rates and regularizes the model.");
    expect(notes["milletari2016"]).toContain(
      "[…] not need to assign weights to samples of different classes to establish the right balance between foreground and background voxels",
    );
    expect(notes["milletari2016"]).toContain("— p. 6");
    expect(notes["masters2018"]).toContain(
      "While the use of large mini-batches increases the available computational parallelism, small batch training has been shown to provide improved generalization performance and allows a significantly smaller memory footprint, which might also be exploited to improve machine throughput.",
    );
    expect(notes["zhang2021"]).toContain(
      "Despite their massive size, successful deep artificial neural networks can exhibit a remarkably small gap between training and test performance.",
    );
  });
});
