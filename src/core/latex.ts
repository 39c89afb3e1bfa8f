// LaTeX text for the tables runsite exports (the early-stopping table, the paper tables).

const latexEscapes: Readonly<Record<string, string>> = {
  "\\": "\\textbackslash{}",
  "{": "\\{",
  "}": "\\}",
  $: "\\$",
  "&": "\\&",
  "#": "\\#",
  "%": "\\%",
  _: "\\_",
  "~": "\\textasciitilde{}",
  "^": "\\textasciicircum{}",
  "×": "\\texttimes{}",
  "—": "---",
  "–": "--",
  "↑": "$\\uparrow$",
  "↓": "$\\downarrow$",
  "∞": "$\\infty$",
  "−": "$-$",
  Δ: "$\\Delta$",
};

/** Text for LaTeX: its special characters escaped, and the few symbols runsite writes as commands. */
export function latexText(text: string): string {
  return text.replace(/[\\{}$&#%_~^×—–↑↓∞−Δ]/g, (c) => latexEscapes[c] ?? c);
}
