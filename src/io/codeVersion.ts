import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** runsite's own code folder: `src/` in a checkout, `lib/` in the installed package. */
const codeRoot = fileURLToPath(new URL("..", import.meta.url));
const packageRoot = path.dirname(codeRoot);

/**
 * The extension of runsite's own modules as they run: `.ts` in a checkout
 * (Node strips the types), `.js` in the installed package (compiled by
 * `scripts/build-package.mjs`). Paths built at run time (worker scripts,
 * injected routes) use it.
 */
export const moduleExtension = path.extname(fileURLToPath(import.meta.url));

/** runsite's version, from its package.json. */
export function runsiteVersion(): string {
  return readPackage(packageRoot)?.version ?? "unknown";
}

let memo: string | undefined;

/**
 * A hash of everything that determines what runsite makes of its input: every
 * file of its code as installed (names and bytes, whatever they are), its
 * version, and the versions of the libraries that parse and draw. Cached
 * products (figures, pages) are keyed on it, so a change to parsing, analysis
 * or drawing misses the cache without anyone keeping a list of files.
 */
export function codeVersion(): string {
  if (memo !== undefined) return memo;
  const hash = createHash("sha256");
  const files = readdirSync(codeRoot, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  for (const file of files) {
    hash.update(path.relative(codeRoot, file));
    hash.update(readFileSync(file));
  }
  hash.update(`runsite@${runsiteVersion()}`);
  for (const name of ["@observablehq/plot", "jsdom", "d3-dsv", "astro"]) hash.update(`${name}@${dependencyVersion(name)}`);
  return (memo = hash.digest("hex"));
}

function readPackage(dir: string): { version?: string } | null {
  try {
    return JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { version?: string };
  } catch {
    return null;
  }
}

/** The installed version of a dependency, looked up the way Node resolves it from runsite's folder. */
function dependencyVersion(name: string): string {
  for (let dir = packageRoot; ; dir = path.dirname(dir)) {
    const found = readPackage(path.join(dir, "node_modules", name))?.version;
    if (found !== undefined) return found;
    if (path.dirname(dir) === dir) return "unknown";
  }
}
