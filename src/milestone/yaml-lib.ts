// The yaml library, loaded the first time something needs it: its modules cost about 50 ms at
// start-up, and a plain milestone file (plain-yaml.ts, plain-yaml-edit.ts) is read and written
// without it. Loaded with require() so that callers stay synchronous; under Node the package's
// `import` is the same CommonJS build, so there is one copy of it either way.
import { createRequire } from "node:module";
import type * as Yaml from "yaml";

let lib: typeof Yaml | null = null;

export function yamlLib(): typeof Yaml {
  return (lib ??= createRequire(import.meta.url)("yaml") as typeof Yaml);
}
