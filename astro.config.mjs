// @ts-check
import { defineConfig } from "astro/config";
import runsite from "./src/astro/integration.ts";

// `npm run dev` and `astro build` use this file; `runsite build` (npm run build)
// builds the same site with options from runsite.config.json and its flags.
export default defineConfig({
  integrations: [runsite()],
});
