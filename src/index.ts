// runsite's public API: the Astro integration and the pure core, as named
// exports (Plot's src/index.js). Anything not listed here is internal.
export { default as runsite, type RunsiteEffects } from "./astro/integration.ts";
export { configSchema, normalizeConfig, type Config, type ConfigSpec } from "./core/config.ts";
export { compareDiagnostics, formatDiagnostic, type Diagnostic } from "./core/diagnostics.ts";
export { formats, type Attempt, type Axis, type Format, type History, type ParseResult, type Resume, type Role, type Series, type Split } from "./core/history.ts";
export { parseHistory } from "./core/load.ts";
export { parseKeras } from "./core/formats/keras.ts";
export { parseLightning } from "./core/formats/lightning.ts";
export { parseUltralytics } from "./core/formats/ultralytics.ts";
export { parseHuggingFace } from "./core/formats/huggingface.ts";
export { parseFastai } from "./core/formats/fastai.ts";
export { parseTensorBoard, mergeTensorBoard } from "./core/formats/tensorboard.ts";
export { detectFormat } from "./core/formats/detect.ts";
export { defaultParams, parseExperimentPath, slugify, type ExperimentInfo, type ParamSpec } from "./core/experiments.ts";
export { earlyStopping, type EarlyStoppingOptions, type StopSummary } from "./core/earlyStopping.ts";
export { metricDirection } from "./core/direction.ts";
export { formatStopTable, stopTable, type StopRow } from "./core/stopTable.ts";
export { inspectDocument, type InspectDocument } from "./core/inspect.ts";
export { buildArchive, type Archive, type Experiment } from "./core/archive.ts";
export { historyFigure, type FigureSpec } from "./core/figures.ts";
export { m4 } from "./core/downsample.ts";
export { renderFigure } from "./render/svg.ts";
