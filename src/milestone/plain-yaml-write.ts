// Plain block YAML for small records the engine writes (the session record): mappings, lists of
// scalars and scalars, each scalar as plain-yaml-edit.ts renders one. The yaml library would
// do the same, but loading it costs about 40 ms at the end of every run; anything outside this
// shape still goes to it.
import { render } from "./plain-yaml-edit.ts";
import { yamlLib } from "./yaml-lib.ts";

type Data = Record<string, unknown>;

/** `data` as a YAML document, ending with a newline. */
export function toPlainYaml(data: Data): string {
  const lines: string[] = [];
  return writeMapping(data, 0, lines) ? `${lines.join("\n")}\n` : yamlLib().stringify(data);
}

// Appends the mapping's lines at `indent`; false when something in it is outside the shape.
function writeMapping(data: Data, indent: number, lines: string[]): boolean {
  const pad = " ".repeat(indent);
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined) continue;
    if (!/^[A-Za-z_][\w-]*$/.test(key)) return false;
    if (Array.isArray(value)) {
      if (value.length === 0) {
        lines.push(`${pad}${key}: []`);
        continue;
      }
      lines.push(`${pad}${key}:`);
      for (const item of value) {
        const text = render(item, "plain");
        if (text === undefined) return false;
        lines.push(`${pad}  - ${text}`);
      }
    } else if (value !== null && typeof value === "object") {
      if (Object.keys(value).length === 0) {
        lines.push(`${pad}${key}: {}`);
        continue;
      }
      lines.push(`${pad}${key}:`);
      if (!writeMapping(value as Data, indent + 2, lines)) return false;
    } else {
      const text = render(value, "plain");
      if (text === undefined) return false;
      lines.push(`${pad}${key}: ${text}`);
    }
  }
  return true;
}
