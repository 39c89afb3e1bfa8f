declare module "virtual:runsite/config" {
  import type { Config } from "../core/config.ts";
  /** The normalised config and the folder its relative paths start from. */
  const options: { config: Config; root: string; dev: boolean; base: string };
  export default options;
}
