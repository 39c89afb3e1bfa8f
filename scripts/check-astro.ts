// Type-checks the .astro files, as `astro check` would: each file is turned
// into TSX by Astro's own compiler (convertToTSX) and the result is checked by
// tsc with the repository's settings. (`astro check` itself needs TypeScript
// 5 or 6 through @astrojs/language-server; runsite is checked with TypeScript 7.)
// Run by `npm test`; prints tsc's errors with the .astro file they come from.
import { convertToTSX } from "@astrojs/compiler";
import { spawnSync } from "node:child_process";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = path.join(root, "node_modules", ".cache", "astro-check");
await rm(out, { recursive: true, force: true });
const files = (await readdir(path.join(root, "src"), { recursive: true, withFileTypes: true }))
  .filter((e) => e.isFile() && e.name.endsWith(".astro"))
  .map((e) => path.join(e.parentPath, e.name));
for (const file of files) {
  const relative = path.relative(root, file);
  const { code, diagnostics, metaRanges } = await convertToTSX(await readFile(file, "utf8"), { filename: file, includeScripts: false });
  for (const d of diagnostics.filter((d) => d.severity === 1)) console.error(`${relative}:${d.location.line}:${d.location.column}: ${d.text}`);
  // `Layout.astro.tsx`: an import of "./Layout.astro" finds it (TypeScript tries the name plus .tsx).
  const target = path.join(out, `${relative}.tsx`);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, code.replace(/\n\/\/# sourceMappingURL=.*$/s, "\n"));
  // Each processed <script> is a module of its own in the browser bundle: checked as one.
  for (const [i, script] of (metaRanges.scripts ?? []).filter((s) => s.type === "processed-module" || s.type === "module").entries()) {
    await writeFile(path.join(out, `${relative}.script${i}.ts`), `${script.content}\nexport {};\n`);
  }
}
const config = {
  extends: path.join(root, "tsconfig.json"),
  include: [
    path.join(out, "src"),
    path.join(root, "node_modules", "astro", "env.d.ts"),
    path.join(root, "src", "env.d.ts"),
    path.join(root, "src", "astro", "virtual.d.ts"),
    path.join(root, "src", "types"),
  ],
  exclude: [],
  compilerOptions: {
    noEmit: true,
    jsx: "preserve",
    jsxImportSource: "astro",
    // The generated files stand beside the sources: their relative imports resolve in either tree.
    rootDirs: [path.join(root, "src"), path.join(out, "src")],
    // The generated TSX declares what the template does not use.
    noUnusedLocals: false,
    noUnusedParameters: false,
  },
};
await writeFile(path.join(out, "tsconfig.json"), JSON.stringify(config, null, 2));
const tsc = spawnSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", path.join(out, "tsconfig.json")], { encoding: "utf8" });
const report = (tsc.stdout + tsc.stderr).replaceAll(`${path.relative(root, out)}${path.sep}`, "").replace(/\.astro\.tsx\(/g, ".astro (as TSX, ");
if (tsc.status !== 0) {
  console.error(report.trim());
  console.error(`check-astro: type errors in .astro files (${files.length} checked)`);
  process.exit(1);
}
console.log(`check-astro: ${files.length} .astro files type-check`);
