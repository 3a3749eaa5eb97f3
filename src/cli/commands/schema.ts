// `schema`: the JSON Schema of the milestone file (or, with --config, of config.yaml), for
// editors and other tools. Generated from the zod schemas, so it can never drift from them.
import { z } from "zod";
import type { Command } from "../command.ts";
import { EXIT } from "../exit-codes.ts";
import { configSchema, milestoneSchema } from "../../milestone/schema.ts";

export const command: Command = {
  name: "schema",
  summary: "print the JSON Schema of the milestone file format",
  usage: "schema [--config]",
  details: "Prints JSON (draft 2020-12). Point your editor's YAML support at it for completion and checks.",
  options: {
    config: { type: "boolean", description: "print the schema of .milestones/config.yaml instead" },
  },
  async run(ctx) {
    const forConfig = ctx.flags.config === true;
    const schema = z.toJSONSchema(forConfig ? configSchema : milestoneSchema, { io: "input", unrepresentable: "any" });
    const titled = {
      $schema: schema.$schema,
      title: forConfig ? "milestone-machine config (.milestones/config.yaml)" : "milestone-machine milestone file",
      ...schema,
    };
    ctx.stdout.write(`${JSON.stringify(titled, null, 2)}\n`);
    return EXIT.completed;
  },
};
