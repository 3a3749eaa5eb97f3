// `--agent "claude -p --model 'x y'"` arrives as one string; split it into argv the way a shell
// would for the simple cases people type: whitespace separates, quotes group, backslash escapes.
// No expansion of any kind: the command is run directly, never through a shell.
import { UsageError } from "../errors.ts";

export function parseAgentCommand(text: string): string[] {
  const argv: string[] = [];
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === "\\" && i + 1 < text.length && '"\\$`'.includes(text[i + 1])) word += text[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "\\" && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) argv.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new UsageError(`--agent: unterminated ${quote} quote in '${text}'`);
  if (inWord) argv.push(word);
  if (argv.length === 0) throw new UsageError("--agent needs a command, e.g. --agent \"claude -p\"");
  return argv;
}
