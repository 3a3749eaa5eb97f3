// Cuts a possibly coloured line to a number of terminal columns. A line one column too wide
// wraps, and a wrapped line breaks the dashboard's in-place redraw, so widths are counted as the
// terminal counts them: escapes take none, CJK and emoji take two.
const ESCAPE = /^\x1b\[[0-9;?]*[ -/]*[@-~]/;

// East Asian wide and emoji blocks: the ones task output and titles actually contain.
function charWidth(code: number): number {
  if (code < 0x300) return 1;
  if (code >= 0x300 && code <= 0x36f) return 0;
  if (code === 0x200b || code === 0x200d || (code >= 0xfe00 && code <= 0xfe0f)) return 0;
  const wide =
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x1f900 && code <= 0x1f9ff) ||
    (code >= 0x20000 && code <= 0x3fffd);
  return wide ? 2 : 1;
}

/** Columns the line takes on a terminal. */
export function visibleWidth(line: string): number {
  let width = 0;
  for (let i = 0; i < line.length; ) {
    const escape = line[i] === "\x1b" ? ESCAPE.exec(line.slice(i)) : null;
    if (escape) {
      i += escape[0].length;
      continue;
    }
    const code = line.codePointAt(i)!;
    width += charWidth(code);
    i += code > 0xffff ? 2 : 1;
  }
  return width;
}

/** The line cut to at most `columns` columns, ending with "…" when cut; colours are closed. */
export function fitLine(line: string, columns: number): string {
  if (visibleWidth(line) <= columns) return line;
  let out = "";
  let width = 0;
  for (let i = 0; i < line.length; ) {
    const escape = line[i] === "\x1b" ? ESCAPE.exec(line.slice(i)) : null;
    if (escape) {
      out += escape[0];
      i += escape[0].length;
      continue;
    }
    const code = line.codePointAt(i)!;
    const w = charWidth(code);
    if (width + w > columns - 1) break;
    out += String.fromCodePoint(code);
    width += w;
    i += code > 0xffff ? 2 : 1;
  }
  return `${out}…${out.includes("\x1b[") ? "\x1b[0m" : ""}`;
}
