import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Date bugs show on every machine when tests run far from UTC (as Plot and d3 do).
    env: { TZ: "America/Los_Angeles" },
    // Site builds share Astro's working folder inside the package (see src/cli/main.ts): one file at a time.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
