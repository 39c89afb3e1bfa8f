/**
 * The elements matching `selector` that no script has enhanced yet, each
 * marked (`data-<key>`) as it is returned, so a script that runs twice on a
 * page (two components, one bundle) enhances every element once.
 *
 * Shared by the page scripts (copy buttons, the data table): being imported by
 * more than one of them, it is a module of its own, and so are they; Astro
 * would otherwise inline the small copy-button script into every page.
 */
export function enhanceOnce<E extends HTMLElement>(root: ParentNode, selector: string, key: string): E[] {
  const found = [...root.querySelectorAll<E>(selector)].filter((e) => e.dataset[key] === undefined);
  for (const e of found) e.dataset[key] = "";
  return found;
}
