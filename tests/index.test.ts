import { describe, expect, it } from "vitest";

describe("the package's public API", () => {
  it("import('runsite') exports exactly the documented names", async () => {
    const api = await import("../src/index.ts");
    expect(Object.keys(api).sort()).toEqual(
      [
        "buildArchive",
        "compareDiagnostics",
        "configSchema",
        "defaultParams",
        "detectFormat",
        "earlyStopping",
        "formatDiagnostic",
        "formatStopTable",
        "formats",
        "historyFigure",
        "inspectDocument",
        "m4",
        "mergeTensorBoard",
        "metricDirection",
        "normalizeConfig",
        "parseExperimentPath",
        "parseFastai",
        "parseHistory",
        "parseHuggingFace",
        "parseKeras",
        "parseLightning",
        "parseTensorBoard",
        "parseUltralytics",
        "renderFigure",
        "runsite",
        "slugify",
        "stopTable",
      ].sort(),
    );
  });
});
