import type { AstroIntegration } from "astro";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { normalizeConfig, type ConfigSpec } from "../core/config.ts";
import { compareDiagnostics, formatDiagnostic } from "../core/diagnostics.ts";
import { citationWarnings } from "../core/citeExperiment.ts";
import sitemap from "@astrojs/sitemap";
import { moduleExtension } from "../io/codeVersion.ts";
import { killPoint } from "../io/killPoint.ts";
import { reportTiming, timingsWanted } from "../io/timings.ts";
import { getCachedContent } from "../io/content.ts";
import { stageDownloads, type StagedDownloads } from "../io/downloads.ts";
import { carryOver, keptPages, planIncrement, recordBuild, type Increment } from "../io/incremental.ts";
import { writeSearchIndex } from "../io/search.ts";
import { getCachedSite } from "../io/siteCache.ts";
import { figureProblems, type Progress } from "../io/loadSite.ts";
import { listPageFailures } from "../io/pageFailures.ts";

/** Where the integration reports (the CLI passes its own; optional). */
export interface RunsiteEffects {
  /** Receives the one-line build summary. Default: Astro's logger. */
  report?: (line: string) => void;
  /** Receives progress while the archive loads (the CLI draws it on a TTY). Default: none. */
  progress?: Progress;
  /**
   * The previous output folder, left in place (the build writes elsewhere):
   * pages whose inputs did not change are moved over from it instead of
   * rendered (see `io/incremental.ts`). Default: none, a full build.
   */
  previousOutput?: string | null;
  /**
   * The folder the config's relative paths start from, and problems are shown
   * relative to: the CLI passes the folder it runs in. Default: Astro's `root`
   * (the project of an Astro site that uses the integration).
   */
  root?: string;
  /**
   * The output folder the site will be in once the build succeeds, when Astro
   * builds into a staging folder (the CLI's atomic output): the incremental
   * build's record is kept under this name. Default: Astro's `outDir`.
   */
  outDir?: string;
}

const virtualId = "virtual:runsite/config";
const resolvedId = `\0${virtualId}`;

/**
 * The runsite Astro integration: publishes a run tree as pages.
 *
 * @example integrations: [runsite({ runs: "runs" })]
 */
export default function runsite(spec: ConfigSpec = {}, effects: RunsiteEffects = {}): AstroIntegration {
  const config = normalizeConfig(spec);
  /** Where the archive's pages go: `""` (the site root) or `/<prefix>` without a trailing slash. */
  const prefix = config.prefix === "" ? "" : `/${config.prefix.replace(/^\/+|\/+$/g, "")}`;
  let root = process.cwd();
  let started = 0;
  let astro = { outDir: "", base: "/", site: undefined as string | undefined };
  let increment: Increment | null = null;
  let staged: StagedDownloads | null = null;
  const keptUrls: string[] = [];
  // Phase times for the benchmark (RUNSITE_TIMINGS=1 prints them after the summary):
  // a phase ends where the next begins, unless it says which mark it is measured from.
  const timings: string[] = [];
  let phaseStart = 0;
  const mark = (phase: string, sequential = true) => {
    const now = performance.now();
    timings.push(`${phase} ${((now - phaseStart) / 1000).toFixed(1)}`);
    if (sequential) phaseStart = now;
  };
  const finalOutDir = () => (effects.outDir === undefined ? astro.outDir : path.join(effects.outDir, prefix));
  const route = (name: string) => fileURLToPath(new URL(`./routes/${name}`, import.meta.url));
  return {
    name: "runsite",
    hooks: {
      "astro:config:setup": ({ config: astroConfig, command, injectRoute, addMiddleware, updateConfig }) => {
        started = phaseStart = performance.now();
        root = effects.root ?? fileURLToPath(astroConfig.root);
        astro = { outDir: path.join(fileURLToPath(astroConfig.outDir), prefix), base: `${astroConfig.base.replace(/\/$/, "")}${prefix}/`, site: astroConfig.site };
        // Pages take the base from here, not import.meta.env.BASE_URL, which a
        // BASE_URL variable in the environment overrides (Vitest sets one).
        const base = `${astroConfig.base.replace(/\/$/, "")}${prefix}/`;
        const options = JSON.stringify({ config, root, dev: command === "dev", base, experimentRoute: `${prefix}/experiments/[...slug]` });
        // Every page under the configured prefix ("" for a site of its own, e.g. "/runs" inside an existing Astro site).
        const inject = (pattern: string, file: string) => injectRoute({ pattern: `${prefix}${pattern}` || "/", entrypoint: route(file), prerender: true });
        // An experiment page that throws is written as a short page that says why (see middleware.ts).
        addMiddleware({ order: "pre", entrypoint: fileURLToPath(new URL(`./middleware${moduleExtension}`, import.meta.url)) });
        inject("/", "index.astro");
        inject("/page/[n]", "index-page.astro");
        inject("/runs.json", `runsJson${moduleExtension}`);
        inject("/experiments/[...slug]", "experiment.astro");
        inject("/problems", "problems.astro");
        inject("/compare", "compare.astro");
        inject("/compare/[...id]", "compare-group.astro");
        inject("/compare/[...id]/index.html", `compareRedirect${moduleExtension}`);
        inject("/compare/selected", "compare-selected.astro");
        inject("/compare/[kind]/[...page]", "compare-kind.astro");
        if (prefix === "") inject("/404", "404.astro");
        inject("/search", "search.astro");
        inject("/bibliography", "bibliography.astro");
        inject("/bibliography.bib", `bibliography.bib${moduleExtension}`);
        inject("/bibliography/[file]", `reference${moduleExtension}`);
        inject("/CITATION.cff", `citationCff${moduleExtension}`);
        inject("/notes", "notes.astro");
        inject("/notes/[slug]", "note.astro");
        // Downloads: served by endpoints in dev; a build writes them beside the pages (see stageDownloads).
        if (command === "dev") {
          inject("/files/[...file]", `file${moduleExtension}`);
          inject("/downloads/[...path]", `download${moduleExtension}`);
        }
        // Dates, projects, models, datasets: only the kinds the archive's paths provide (getStaticPaths says which).
        inject("/[facet]", "facets.astro");
        inject("/[facet]/[name]", "facet.astro");
        inject("/[facet]/[name]/page/[n]", "facet-page.astro");
        updateConfig({
          // Component styles as files, never inlined: a thousand experiment pages
          // share one cached stylesheet instead of each carrying its own copy.
          build: { inlineStylesheets: "never" },
          // A strict Content-Security-Policy <meta> on every page: scripts only
          // from the site itself (Astro adds the hashes of its own), nothing
          // sent anywhere. Inline styles stay allowed: Plot's SVG and Shiki's
          // highlighting carry them, and CSS cannot run code.
          security: {
            csp: {
              algorithm: "SHA-256",
              directives: [
                "default-src 'self'",
                "img-src 'self' data:",
                "font-src 'self' data:",
                "connect-src 'self'",
                "object-src 'none'",
                "base-uri 'self'",
                "form-action 'none'",
              ],
              scriptDirective: { resources: ["'self'"] },
              styleDirective: { resources: ["'self'", "'unsafe-inline'"] },
            },
          },
          // A sitemap needs absolute URLs: only when the site's origin is known.
          // Pages kept from the previous output are not in Astro's page list: they are added by URL.
          integrations: astroConfig.site ? [sitemap({ customPages: keptUrls })] : [],
          vite: {
            plugins: [
              {
                name: "runsite:config",
                resolveId: (id: string) => (id === virtualId ? resolvedId : undefined),
                load: (id: string) => (id === resolvedId ? `export default ${options};` : undefined),
              },
            ],
          },
        });
      },
      // Load the archive before Astro renders pages, so progress can be shown;
      // the pages then find it in the cache.
      "astro:build:start": async () => {
        mark("bundle");
        const site = await getCachedSite(config, root, effects.progress ? { progress: effects.progress } : {});
        mark("load");
        killPoint("load");
        increment = await planIncrement(site, {
          outDir: finalOutDir(),
          previous: effects.previousOutput == null ? null : path.join(effects.previousOutput, prefix),
          cacheDir: config.cacheDir,
          contentDir: path.resolve(root, config.content),
          astro: { base: astro.base, site: astro.site },
        });
        site.render = increment.plan;
        staged = await stageDownloads(site, config.cacheDir);
        void staged.written.then(
          () => mark("downloads (from load)", false),
          () => {},
        );
        mark(`plan (${increment.reason})`);
        void Promise.all([...site.figures.values(), ...site.comparisons.map((c) => c.svgFile)]).then(
          () => mark("figures (from load)", false),
          () => {},
        );
      },
      "astro:build:done": async ({ pages, dir: astroDir, logger }) => {
        mark("pages");
        const dir = new URL(`.${prefix}/`, astroDir);
        const site = await getCachedSite(config, root);
        // The staged downloads first: the kept pages' downloads are moved into their folders.
        await staged?.moveInto(fileURLToPath(dir));
        if (increment !== null) await carryOver(site, increment, fileURLToPath(dir));
        const kept = keptPages(site, site.render);
        if (astro.site !== undefined) {
          const url = (page: string) => new URL(`${astro.base.replace(/\/$/, "")}/${page}/`, astro.site).href;
          keptUrls.push(...kept.experiments.map((e) => url(`experiments/${e.info.slug}`)), ...kept.comparisons.map((c) => url(`compare/${c.comparison.id}`)));
        }
        mark("kept pages moved");
        // Pages that threw may have been rendered after the problems page: it is completed now, before the search index reads it.
        const pageDiagnostics = await listPageFailures(site, fileURLToPath(dir), astro.base);
        const search = increment?.reuseSearch ? { pages: 0, errors: [] } : await writeSearchIndex(fileURLToPath(dir));
        mark(increment?.reuseSearch ? "search index kept" : "search index");
        for (const error of search.errors) logger.warn(`search index: ${error}`);
        // A figure that could not be drawn is its experiment's problem (its page says so), not the build's.
        const figureDiagnostics = await figureProblems(site);
        const { experiments, problems, filesFound, filesWithPage } = site.archive;
        const content = await getCachedContent(site, root, "/");
        const diagnostics = [...problems.flatMap((p) => p.diagnostics), ...figureDiagnostics, ...pageDiagnostics, ...site.contentDiagnostics, ...content.diagnostics].sort(
          compareDiagnostics,
        );
        for (const d of diagnostics) (d.fatal ? logger.error : logger.warn).call(logger, formatDiagnostic(d));
        for (const warning of citationWarnings({ site: astro.site, experiments: experiments.length, authors: site.citation.authors.length })) logger.warn(warning);
        // A page that threw is not recorded as built: the next build renders it again (and lists its problem again).
        for (const slug of site.pageFailures.keys()) increment?.keys.experiments.delete(slug);
        if (increment !== null) await recordBuild(increment, { outDir: fileURLToPath(dir), cacheDir: config.cacheDir, recordAs: finalOutDir() });
        const written = pages.filter((p) => p.pathname.startsWith(`${prefix.slice(1)}${prefix === "" ? "" : "/"}experiments/`)).length;
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        const unreadable = problems.filter((p) => p.fatal).length;
        const contentProblems = new Set([...site.contentDiagnostics, ...content.diagnostics].map((d) => d.file)).size;
        const summary = `runsite: ${filesFound} files found (${filesWithPage} read, ${unreadable} unreadable), ${experiments.length} experiments, ${written} pages written${kept.experiments.length > 0 ? ` (${kept.experiments.length} unchanged, kept)` : ""}, ${problems.length + contentProblems + figureDiagnostics.length + pageDiagnostics.length} problems, ${seconds} s`;
        if (config.strict && diagnostics.length > 0) throw new Error(`strict: ${diagnostics.length} problems (${summary})`);
        (effects.report ?? ((line: string) => logger.info(line)))(summary);
        reportTiming(`${timings.join(", ")}; summary`);
        if (timingsWanted()) process.once("beforeExit", () => reportTiming("exit"));
      },
    },
  };
}
