#!/usr/bin/env node
// The runsite command. Plain JavaScript that any Node can parse, so that an
// old Node is told what is wrong instead of failing on a syntax or flag error.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `runsite needs Node.js >= 22.12 (this is ${process.versions.node}): install a current Node.js ` + `(https://nodejs.org, or \`nvm install 24\`) and run the command again.`,
  );
  process.exit(2);
}

// In a checkout, runsite runs its TypeScript sources through Node's own type
// stripping (on by default from Node 22.18 and 23.6; behind a flag in
// 22.12–22.17). The npm package ships them compiled to lib/ instead: Node
// does not strip types under node_modules.
const source = new URL("../src/cli/main.ts", import.meta.url);
if (existsSync(source)) {
  if (!process.features.typescript) {
    const args = ["--experimental-strip-types", "--no-warnings=ExperimentalWarning", fileURLToPath(import.meta.url), ...process.argv.slice(2)];
    const child = spawnSync(process.execPath, args, { stdio: "inherit" });
    process.exit(child.status ?? 1);
  }
  const { main } = await import(source.href);
  process.exitCode = await main(process.argv.slice(2));
} else {
  const { main } = await import(new URL("../lib/cli/main.js", import.meta.url).href);
  process.exitCode = await main(process.argv.slice(2));
}
