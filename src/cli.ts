#!/usr/bin/env node
// Entry point on Node (bundled into dist/bin/cli.js, rolldown.config.mjs) and Deno (src/cli.ts). Kept to what `--version` needs, so
// that it answers before anything else loads; every command goes through cli/run-cli.ts, and
// each command module loads only once it is called (cli/commands/index.ts).
import module from "node:module";
import process from "node:process";
import { VERSION } from "./version.ts";

// Node ≥ 22.1 can keep the compiled code of our modules and dependencies on disk between runs
// (module.enableCompileCache); Node 20 and Deno do not have it.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const argv = process.argv.slice(2);
if (argv.includes("--version") || argv.includes("-V")) process.stdout.write(`${VERSION}\n`);
else (await import("./cli/run-cli.ts")).runCli(argv);
