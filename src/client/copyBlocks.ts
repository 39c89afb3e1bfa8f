import { enhanceOnce } from "./enhanceOnce.ts";

/**
 * Progressive enhancement of CopyBlock.astro: a "Copy" button beside each
 * block's label where the clipboard is available. Without JavaScript the text
 * stays selectable.
 */
export function enhanceCopyBlocks(root: Document): void {
  for (const block of enhanceOnce<HTMLElement>(root, "figure.copy-block", "copy")) {
    if (navigator.clipboard === undefined) continue;
    const button = root.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = "Copy";
    button.addEventListener("click", async () => {
      const code = block.querySelector("code")?.textContent ?? "";
      try {
        await navigator.clipboard.writeText(code);
        button.textContent = "Copied";
      } catch {
        button.textContent = "Select the text to copy";
      }
      setTimeout(() => (button.textContent = "Copy"), 2000);
    });
    block.querySelector("figcaption")?.append(" ", button);
  }
}
