// `new <id>`: a milestone file from a template in .milestones/active/. Refuses an unsafe id and
// an id that already has a file, active or completed.
import fs from "node:fs";
import type { Command } from "../command.ts";
import { EXIT } from "../exit-codes.ts";
import { UsageError } from "../../errors.ts";
import { layout } from "../../store/layout.ts";
import { writeFileAtomic } from "../../store/atomic-write.ts";
import { displayPath } from "../../store/display-path.ts";
import { safeId } from "../../milestone/schema.ts";
import { newMilestoneText } from "../../milestone/templates.ts";

export const command: Command = {
  name: "new",
  summary: "create a milestone file from a template",
  usage: "new <id> [--title T]",
  details: "Writes .milestones/active/<id>.yaml with one placeholder task to edit.",
  options: {
    title: { type: "string", value: "T", description: "the milestone's title (default: the id)" },
  },
  async run(ctx) {
    if (ctx.args.length !== 1) throw new UsageError("new takes exactly one milestone id", "e.g. milestone-machine new auth-v2 --title 'Auth v2'");
    const id = ctx.args[0];
    const checked = safeId.safeParse(id);
    if (!checked.success) throw new UsageError(`'${id}' is not a valid milestone id: it ${checked.error.issues[0].message}`);
    const l = layout(ctx.cwd);
    for (const existing of [l.active(id), l.completed(id)]) {
      if (fs.existsSync(existing)) throw new UsageError(`milestone '${id}' already exists: ${displayPath(existing)}`);
    }
    const title = typeof ctx.flags.title === "string" && ctx.flags.title.trim() ? ctx.flags.title : id;
    fs.mkdirSync(l.activeDir, { recursive: true });
    const file = l.active(id);
    writeFileAtomic(file, newMilestoneText(id, title));
    if (ctx.json) ctx.stdout.write(`${JSON.stringify({ file: displayPath(file) })}\n`);
    else ctx.stdout.write(`created ${displayPath(file)}\n`);
    return EXIT.completed;
  },
};
