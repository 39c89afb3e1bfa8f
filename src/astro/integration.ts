import type { AstroIntegration } from "astro";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { normalizeConfig, type ConfigSpec } from "../core/config.ts";
import { compareDiagnostics, formatDiagnostic } from "../core/diagnostics.ts";
import sitemap from "@astrojs/sitemap";
import { getCachedContent } from "../io/content.ts";
import { stageDownloads, type StagedDownloads } from "../io/downloads.ts";
import { carryOver, keptPages, planIncrement, recordBuild, type Increment } from "../io/incremental.ts";
import { writeSearchIndex } from "../io/search.ts";
import { getCachedSite } from "../io/siteCache.ts";
import type { Progress } from "../io/loadSite.ts";

/** Where the integration reports (the CLI passes its own; optional). */
export interface RunsiteEffects {
  /** Receives the one-line build summary. Default: Astro's logger. */
  report?: (line: string) => void;
  /** Receives progress while the archive loads (the CLI draws it on a TTY). Default: none. */
  progress?: Progress;
  /**
   * The previous output folder, moved aside by the caller before the build:
   * pages whose inputs did not change are moved over from it instead of
   * rendered (see `io/incremental.ts`). Default: none, a full build.
   */
  previousOutput?: string | null;
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
  const route = (name: string) => fileURLToPath(new URL(`./routes/${name}`, import.meta.url));
  return {
    name: "runsite",
    hooks: {
      "astro:config:setup": ({ config: astroConfig, command, injectRoute, updateConfig }) => {
        started = phaseStart = performance.now();
        root = fileURLToPath(astroConfig.root);
        astro = { outDir: fileURLToPath(astroConfig.outDir), base: astroConfig.base, site: astroConfig.site };
        // Pages take the base from here, not import.meta.env.BASE_URL, which a
        // BASE_URL variable in the environment overrides (Vitest sets one).
        const options = JSON.stringify({ config, root, dev: command === "dev", base: astroConfig.base });
        injectRoute({ pattern: "/", entrypoint: route("index.astro"), prerender: true });
        injectRoute({ pattern: "/experiments/[...slug]", entrypoint: route("experiment.astro"), prerender: true });
        injectRoute({ pattern: "/problems", entrypoint: route("problems.astro"), prerender: true });
        injectRoute({ pattern: "/compare", entrypoint: route("compare.astro"), prerender: true });
        injectRoute({ pattern: "/compare/[...id]", entrypoint: route("compare-group.astro"), prerender: true });
        injectRoute({ pattern: "/compare/selected", entrypoint: route("compare-selected.astro"), prerender: true });
        injectRoute({ pattern: "/404", entrypoint: route("404.astro"), prerender: true });
        injectRoute({ pattern: "/search", entrypoint: route("search.astro"), prerender: true });
        injectRoute({ pattern: "/bibliography", entrypoint: route("bibliography.astro"), prerender: true });
        injectRoute({ pattern: "/bibliography.bib", entrypoint: route("bibliography.bib.ts"), prerender: true });
        injectRoute({ pattern: "/notes", entrypoint: route("notes.astro"), prerender: true });
        injectRoute({ pattern: "/notes/[slug]", entrypoint: route("note.astro"), prerender: true });
        // Downloads: served by endpoints in dev; a build writes them beside the pages (see stageDownloads).
        if (command === "dev") {
          injectRoute({ pattern: "/files/[...file]", entrypoint: route("file.ts"), prerender: true });
          injectRoute({ pattern: "/downloads/[...path]", entrypoint: route("download.ts"), prerender: true });
        }
        for (const kind of ["dates", "models", "datasets"]) {
          injectRoute({ pattern: `/${kind}`, entrypoint: route("facets.astro"), prerender: true });
          injectRoute({ pattern: `/${kind}/[name]`, entrypoint: route("facet.astro"), prerender: true });
        }
        updateConfig({
          // A strict Content-Security-Policy <meta> on every page: scripts only
          // from the site itself (Astro adds the hashes of its own), nothing
          // sent anywhere. Inline styles stay allowed: Plot's SVG and Shiki's
          // highlighting carry them, and CSS cannot run code.
          security: {
            csp: {
              algorithm: "SHA-256",
              directives: ["default-src 'self'", "img-src 'self' data:", "font-src 'self' data:", "connect-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'none'"],
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
        increment = await planIncrement(site, { outDir: astro.outDir, previous: effects.previousOutput ?? null, cacheDir: config.cacheDir, contentDir: path.resolve(root, config.content), astro: { base: astro.base, site: astro.site } });
        site.render = increment.plan;
        staged = await stageDownloads(site, config.cacheDir);
        void staged.written.then(() => mark("downloads (from load)", false), () => {});
        mark(`plan (${increment.reason})`);
        void Promise.all([...site.figures.values(), ...site.comparisons.map((c) => c.svgFile)]).then(() => mark("figures (from load)", false), () => {});
      },
      "astro:build:done": async ({ pages, dir, logger }) => {
        mark("pages");
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
        const search = increment?.reuseSearch ? { pages: 0, errors: [] } : await writeSearchIndex(fileURLToPath(dir));
        mark(increment?.reuseSearch ? "search index kept" : "search index");
        for (const error of search.errors) logger.warn(`search index: ${error}`);
        // Every page awaited its figure; this surfaces a figure no page used failing.
        await Promise.all([...site.figures.values(), ...site.comparisons.map((c) => c.svgFile)]);
        const { experiments, problems, filesFound, filesWithPage } = site.archive;
        const content = await getCachedContent(site, root, "/");
        const diagnostics = [...problems.flatMap((p) => p.diagnostics), ...site.contentDiagnostics, ...content.diagnostics].sort(compareDiagnostics);
        for (const d of diagnostics) (d.fatal ? logger.error : logger.warn).call(logger, formatDiagnostic(d));
        if (increment !== null) await recordBuild(increment, { outDir: fileURLToPath(dir), cacheDir: config.cacheDir });
        const written = pages.filter((p) => p.pathname.startsWith("experiments/")).length;
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        const unreadable = problems.filter((p) => p.fatal).length;
        const contentProblems = new Set([...site.contentDiagnostics, ...content.diagnostics].map((d) => d.file)).size;
        const summary = `runsite: ${filesFound} files found (${filesWithPage} read, ${unreadable} unreadable), ${experiments.length} experiments, ${written} pages written${kept.experiments.length > 0 ? ` (${kept.experiments.length} unchanged, kept)` : ""}, ${problems.length + contentProblems} problems, ${seconds} s`;
        if (config.strict && diagnostics.length > 0) throw new Error(`strict: ${diagnostics.length} problems (${summary})`);
        (effects.report ?? ((line: string) => logger.info(line)))(summary);
        if (process.env["RUNSITE_TIMINGS"]) process.stderr.write(`runsite timings (s): ${timings.join(", ")}\n`);
      },
    },
  };
}
