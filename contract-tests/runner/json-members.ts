// Finds the first JSON object that repeats a member name. JSON.parse keeps the last one silently,
// so a body like {"id": "a", "id": "b"} means different things to different parsers (RFC 8259
// §4: names SHOULD be unique). The text is already known to parse, so a small scanner suffices.
export function findDuplicateMember(text: string): string | undefined {
  const stack: { keys: Set<string> | null; path: string; index: number }[] = [];
  let i = 0;
  let pendingKey: string | undefined;
  const here = () => stack.at(-1);
  const childPath = () => {
    const top = here();
    if (!top) return '';
    return top.keys ? `${top.path}/${pendingKey ?? ''}` : `${top.path}/${top.index}`;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      let raw = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\') {
          raw += text.slice(j, j + 2);
          j += 2;
        } else raw += text[j++];
      }
      const value = JSON.parse(`"${raw}"`) as string;
      i = j + 1;
      // A string is a member name when the next significant character is a colon.
      let k = i;
      while (/\s/.test(text[k] ?? '')) k++;
      const top = here();
      if (top?.keys && text[k] === ':') {
        if (top.keys.has(value)) return `${top.path}/${value}`;
        top.keys.add(value);
        pendingKey = value;
        i = k + 1;
      }
      continue;
    }
    if (c === '{' || c === '[') {
      stack.push({ keys: c === '{' ? new Set() : null, path: childPath(), index: 0 });
      pendingKey = undefined;
    } else if (c === '}' || c === ']') stack.pop();
    else if (c === ',') {
      const top = here();
      if (top && !top.keys) top.index++;
    }
    i++;
  }
  return undefined;
}
