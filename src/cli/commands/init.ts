// `init`: the .milestones/ folders, a commented config and an example milestone. Never
// overwrites: a file that exists is left alone and reported as skipped.
import fs from "node:fs";
import type { Command } from "../command.ts";
import { EXIT } from "../exit-codes.ts";
import { layout } from "../../store/layout.ts";
import { writeFileAtomic } from "../../store/atomic-write.ts";
import { displayPath } from "../../store/display-path.ts";
import { CONFIG_TEMPLATE, EXAMPLE_MILESTONE } from "../../milestone/templates.ts";

export const command: Command = {
  name: "init",
  summary: "create .milestones/ with a config and an example milestone",
  usage: "init",
  details: "Existing files are kept as they are. Creates active/, completed/, logs/ and sessions/.",
  options: {},
  async run(ctx) {
    const l = layout(ctx.cwd);
    for (const dir of [l.activeDir, l.completedDir, l.logsDir, l.sessionsDir]) fs.mkdirSync(dir, { recursive: true });
    const created: string[] = [];
    const skipped: string[] = [];
    for (const [file, content] of [[l.config, CONFIG_TEMPLATE], [l.active("example"), EXAMPLE_MILESTONE]] as const) {
      if (fs.existsSync(file)) {
        skipped.push(displayPath(file));
        continue;
      }
      writeFileAtomic(file, content);
      created.push(displayPath(file));
    }
    if (ctx.json) {
      ctx.stdout.write(`${JSON.stringify({ created, skipped })}\n`);
      return EXIT.completed;
    }
    for (const file of created) ctx.stdout.write(`created ${file}\n`);
    for (const file of skipped) ctx.stdout.write(`kept ${file} (already exists)\n`);
    ctx.stdout.write("next: milestone-machine validate, then milestone-machine execute example\n");
    return EXIT.completed;
  },
};
