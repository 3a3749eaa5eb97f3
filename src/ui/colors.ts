// ANSI colours, or none: honours NO_COLOR, --no-color and non-terminal output (decided by the caller).
export interface Paint {
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
const plain = (s: string) => s;

export function paint(enabled: boolean): Paint {
  if (!enabled) return { green: plain, red: plain, yellow: plain, cyan: plain, dim: plain, bold: plain };
  return {
    green: wrap(32, 39),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
  };
}
