// PostgreSQL writes jsonb as text with a space after every ',' and ':' between values. Removing
// exactly those spaces (never inside strings, where quotes are always escaped) gives the compact
// form JSON.stringify writes, without building objects: the export's hot path stays allocation-light.
export function compactJsonbText(text: string): string {
  let out = "";
  let from = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c)
        index++; // skip the escaped character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if ((code === 0x2c || code === 0x3a) && text.charCodeAt(index + 1) === 0x20) {
      out += text.slice(from, index + 1);
      from = index + 2;
      index++;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}
