// Physical line numbers for JSON array elements. JSON.parse forgets where things were,
// but rejections must name the line a user can open in an editor, so this scans the
// text once (strings, escapes, nesting) and notes the line each element starts on.

/**
 * Lines (1-based) on which the elements of the array under `key` of the top-level object
 * start, in order. Returns null when the text has no such array.
 */
export function arrayElementLines(text: string, key: string): number[] | null {
  const stack: ('{' | '[')[] = [];
  let line = 1;
  let inString = false;
  let escaped = false;
  let stringStart = 0;
  let lastString = '';
  let pendingKey: string | null = null;
  let targetDepth = -1; // stack length while inside the wanted array
  let expectElement = false;
  const lines: number[] = [];

  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') line++;
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') {
        inString = false;
        lastString = text.slice(stringStart, i);
      }
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') continue;
    if (expectElement && stack.length === targetDepth && ch !== ']') {
      lines.push(line);
      expectElement = false;
    }
    switch (ch) {
      case '"':
        inString = true;
        stringStart = i + 1;
        break;
      case ':':
        pendingKey = stack.length === 1 && stack[0] === '{' ? lastString : null;
        break;
      case '{':
        stack.push('{');
        break;
      case '[':
        stack.push('[');
        if (targetDepth < 0 && stack.length === 2 && pendingKey === key) {
          targetDepth = 2;
          expectElement = true;
        }
        break;
      case '}':
      case ']':
        stack.pop();
        if (targetDepth > 0 && stack.length < targetDepth) return lines;
        break;
      case ',':
        if (stack.length === targetDepth) expectElement = true;
        break;
      default:
        break;
    }
  }
  return targetDepth > 0 ? lines : null;
}
