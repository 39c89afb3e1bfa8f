declare module "virtual:runsite/config" {
  import type { Config } from "../core/config.ts";
  /** The normalised config and the folder its relative paths start from; the experiment pages' route pattern. */
  const options: { config: Config; root: string; dev: boolean; base: string; experimentRoute: string };
  export default options;
}
