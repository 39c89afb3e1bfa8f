import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Date bugs show on every machine when tests run far from UTC (as Plot and d3 do).
    env: { TZ: "America/Los_Angeles" },
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
