// The CLI as Node runs it (`bin`): tsc's output under dist/src bundled into dist/bin, one module
// per command plus what they share, instead of about 150 files. Node 20 spends most of a short
// run loading modules one file at a time (resolving, reading, compiling each), so this roughly
// halves start-up. xstate and rxjs, which every run loads, are bundled too; the packages that load
// only for some commands or some files (zod, yaml, isomorphic-git, the inspector's) stay outside,
// loaded from node_modules when needed. Deno runs src/*.ts directly and never sees this.
import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "rolldown";

const pkg = JSON.parse(fs.readFileSync(new URL("./package.json", import.meta.url), "utf8"));
const BUNDLED = ["xstate", "rxjs", "safe-stable-stringify"];
const external = Object.keys(pkg.dependencies).filter((name) => !BUNDLED.includes(name));

export default defineConfig({
  input: {
    cli: "dist/src/cli.js",
    // A separate entry: current-launcher.js finds it next to itself, and it must stay small
    // (spawner-launcher.ts says why).
    "spawner-main": "dist/src/exec/spawner-main.js",
  },
  platform: "node",
  external: (id) => external.some((name) => id === name || id.startsWith(`${name}/`)),
  output: { dir: "dist/bin", format: "esm", cleanDir: true },
  // spawner.py goes beside the chunk that starts it (current-launcher.ts finds it there).
  plugins: [bundledLicenses(), copied("src/exec/spawner.py", "spawner.py")],
});

// A file shipped as it is, e.g. the Python spawner.
function copied(from, fileName) {
  return {
    name: `copy-${fileName}`,
    generateBundle() {
      this.emitFile({ type: "asset", fileName, source: fs.readFileSync(from, "utf8") });
    },
  };
}

// The licences of the packages whose code is inside the bundle, in one file beside it.
function bundledLicenses() {
  return {
    name: "bundled-licenses",
    generateBundle(_options, bundle) {
      const packages = new Set();
      for (const chunk of Object.values(bundle)) {
        for (const id of chunk.moduleIds ?? []) {
          const match = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(id);
          if (match) packages.add(match[1]);
        }
      }
      const texts = [...packages].sort().map((name) => {
        const dir = path.join("node_modules", name);
        const file = fs.readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
        const { version, license } = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
        const text = file ? fs.readFileSync(path.join(dir, file), "utf8").trim() : `License: ${license}`;
        return `${name}@${version}\n\n${text}\n`;
      });
      this.emitFile({ type: "asset", fileName: "THIRD-PARTY-LICENSES.txt", source: texts.join(`\n${"-".repeat(72)}\n\n`) });
    },
  };
}
