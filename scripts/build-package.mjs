// Builds lib/, the JavaScript the npm package runs (`npm pack` runs this as
// `prepack`): TypeScript compiled by tsc, .astro files copied with their
// relative `.ts` imports pointed at the compiled `.js`. Plain JavaScript, so it
// runs on any Node.
import { spawnSync } from "node:child_process";
import { cp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const lib = path.join(root, "lib");
await rm(lib, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", path.join(root, "tsconfig.build.json")], { stdio: "inherit" });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

/** `from "./x.ts"`, `import "./x.ts"`, `import("./x.ts")` → `.js` (relative specifiers only). */
export function rewriteImports(source) {
  return source.replace(/((?:from|import)\s*\(?\s*)(["'])(\.{1,2}\/[^"'\n]+?)\.ts\2/g, "$1$2$3.js$2");
}

let copied = 0;
for (const entry of await readdir(path.join(root, "src"), { recursive: true, withFileTypes: true })) {
  if (!entry.isFile()) continue;
  const from = path.join(entry.parentPath, entry.name);
  const to = path.join(lib, path.relative(path.join(root, "src"), from));
  if (entry.name.endsWith(".astro")) {
    await mkdir(path.dirname(to), { recursive: true });
    await writeFile(to, rewriteImports(await readFile(from, "utf8")));
    copied++;
  } else if (entry.name.endsWith(".d.ts") || entry.name.endsWith(".css")) {
    await mkdir(path.dirname(to), { recursive: true });
    await cp(from, to);
    copied++;
  }
}
console.log(`lib/: compiled TypeScript and ${copied} copied files`);
