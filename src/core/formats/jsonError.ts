const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

/**
 * The offset of the first JSON syntax error in `text`, or -1 when it is
 * valid JSON. `JSON.parse` gives a position for only some errors (V8 says
 * `Unexpected token ']', "…" is not valid JSON` for a trailing comma), so
 * diagnostics find the line here. Iterative, so deep nesting cannot
 * overflow the stack.
 */
export function jsonErrorOffset(text: string): number {
  const n = text.length;
  const stack: ("{" | "[")[] = [];
  let i = 0;
  const space = () => {
    while (i < n && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const string = (): boolean => {
    if (text[i] !== '"') return false;
    for (i++; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 34 /* " */) {
        i++;
        return true;
      }
      if (c < 32) return false;
      if (c === 92 /* \ */) {
        const e = text[++i];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) return false;
          i += 4;
        } else if (e === undefined || !'"\\/bfnrt'.includes(e)) return false;
      }
    }
    return false;
  };
  const key = (): boolean => {
    space();
    if (!string()) return false;
    space();
    if (text[i] !== ":") return false;
    i++;
    return true;
  };
  let expectValue = true;
  for (;;) {
    space();
    if (expectValue) {
      const c = text[i];
      if (c === "{" || c === "[") {
        i++;
        space();
        if (text[i] === (c === "{" ? "}" : "]")) {
          i++;
          expectValue = false;
          continue;
        }
        stack.push(c);
        if (c === "{" && !key()) return i;
        continue;
      }
      if (c === '"') {
        if (!string()) return i;
      } else {
        number.lastIndex = i;
        const match = number.exec(text);
        if (match === null) return i;
        i += match[0].length;
      }
      expectValue = false;
      continue;
    }
    const top = stack[stack.length - 1];
    if (top === undefined) return i < n ? i : -1;
    const c = text[i];
    if (c === ",") {
      i++;
      if (top === "{" && !key()) return i;
      expectValue = true;
    } else if (c === (top === "{" ? "}" : "]")) {
      stack.pop();
      i++;
    } else return i;
  }
}
