import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { formatCitationCff, parseCitationCff } from "../../src/core/citationCff.ts";
import { normalizeConfig } from "../../src/core/config.ts";
import { repoRoot } from "../support/fixtures.ts";

const fixtures = path.join(repoRoot, "tests/fixtures/cff");
const read = (file: string) => readFileSync(path.join(fixtures, file), "utf8");

/** The CFF 1.2.0 schema (tests/fixtures/cff/MANIFEST.tsv), with its two formats checked as the spec means them. */
function cffValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat("date", /^\d{4}-\d{2}-\d{2}$/);
  ajv.addFormat("uri", (text: string) => URL.canParse(text));
  return ajv.compile(JSON.parse(read("schema-1.2.0.json")) as object);
}

describe("CITATION.cff", () => {
  const validate = cffValidator();
  it("the schema accepts a real CITATION.cff and rejects one with an unknown key (the validator is not vacuous)", () => {
    expect(validate(parse(read("bsym/CITATION.cff")))).toBe(true);
    expect(validate(parse(read("cff-spec-CITATION.cff")))).toBe(true);
    expect(validate(parse(read("fail-additional-key/CITATION.cff")))).toBe(false);
  });

  it("formatCitationCff(spec) validates against the CFF 1.2.0 schema: persons, an organisation, URL, commit and carried-over DOI and licence", () => {
    const config = normalizeConfig({
      title: "Fat MRI U-Net archive",
      author: [{ family: "Doe", given: "Jane", orcid: "0000-0002-1825-0097", affiliation: "Fat Lab", email: "jane@example.org" }, "van der Berg, Piet", "Fat Segmentation Lab"],
    });
    const text = formatCitationCff({
      title: config.title,
      authors: config.author!,
      url: "https://lab.example.org/fat-unet/",
      commit: "0d1f11e21d4cfe61f17206cce6892e7a030ee263",
      doi: "10.5281/zenodo.596912",
      license: "MIT",
      repositoryCode: "https://github.com/lab/fat-unet",
      keywords: ["segmentation"],
    });
    const data = parse(text) as Record<string, unknown>;
    expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
    expect(data["cff-version"]).toBe("1.2.0");
    expect(data["type"]).toBe("dataset");
    expect(data["authors"]).toEqual([
      { "family-names": "Doe", "given-names": "Jane", orcid: "https://orcid.org/0000-0002-1825-0097", affiliation: "Fat Lab", email: "jane@example.org" },
      { "family-names": "van der Berg", "given-names": "Piet" },
      { name: "Fat Segmentation Lab" },
    ]);
    expect(data["commit"]).toBe("0d1f11e21d4cfe61f17206cce6892e7a030ee263");
  });

  it("formatCitationCff(spec) without authors or address still validates: the archive's title as the author entity, no url", () => {
    const data = parse(formatCitationCff({ title: "Experiment archive", authors: [] })) as Record<string, unknown>;
    expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
    expect(data["authors"]).toEqual([{ name: "Experiment archive" }]);
    expect(data).not.toHaveProperty("url");
  });

  it("parseCitationCff(text, file) reads the persons of a real CITATION.cff, and what formatCitationCff writes reads back the same", () => {
    const { value, diagnostics } = parseCitationCff(read("cff-spec-CITATION.cff"), "CITATION.cff");
    expect(diagnostics).toEqual([]);
    expect(value!.authors).toHaveLength(9);
    expect(value!.authors[0]).toEqual({ family: "Druskat", given: "Stephan", orcid: "https://orcid.org/0000-0003-4925-7248" });
    expect(value!.title).toBe("Citation File Format");
    const again = parseCitationCff(formatCitationCff({ title: value!.title!, authors: value!.authors }), "CITATION.cff");
    expect(again.value!.authors).toEqual(value!.authors);
    const bsym = parseCitationCff(read("bsym/CITATION.cff"), "CITATION.cff").value!;
    expect(bsym).toMatchObject({ doi: "10.5281/zenodo.596912", license: "MIT", repositoryCode: "https://github.com/bjmorgan/bsym" });
  });

  it("parseCitationCff(text, file) leaves out a nameless author with a diagnostic at its line, and never throws on broken YAML", () => {
    const { value, diagnostics } = parseCitationCff("cff-version: 1.2.0\nauthors:\n  - orcid: https://orcid.org/0000-0002-1825-0097\n  - name: Lab\n", "CITATION.cff");
    expect(value!.authors).toEqual([{ name: "Lab" }]);
    expect(diagnostics.map((d) => [d.line, d.reason])).toEqual([[3, "author without a name left out"]]);
    const broken = parseCitationCff("authors: [unclosed\n", "CITATION.cff");
    expect(broken.value).toBeNull();
    expect(broken.diagnostics[0]!.reason).toMatch(/^invalid YAML/);
  });
});

describe("normalizeConfig({author})", () => {
  it("normalizeConfig({author: string}) keeps a string working: an organisation, or a person with a comma", () => {
    expect(normalizeConfig({ author: "Fat Segmentation Lab" }).author).toEqual([{ name: "Fat Segmentation Lab" }]);
    expect(normalizeConfig({ author: "Doe, Jane" }).author).toEqual([{ family: "Doe", given: "Jane" }]);
  });
  it("normalizeConfig({author: list}) rejects a person that is neither family nor name, and a bad ORCID", () => {
    expect(() => normalizeConfig({ author: [{ given: "Jane" }] })).toThrow(/author/);
    expect(() => normalizeConfig({ author: [{ family: "Doe", orcid: "12345" }] })).toThrow(/author/);
  });
});
