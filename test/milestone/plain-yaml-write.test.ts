// toPlainYaml: what it writes reads back (with the yaml library) as the data it was given.
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { toPlainYaml } from "../../src/milestone/plain-yaml-write.ts";

const AWKWARD = ["", "plain", "1234", "true", "null", "~", "a: b", "x #y", " padded ", "- dash", "[x]", "{y}", "it's", 'say "hi"', "multi\nline", "tab\there", "héllo ✓", "#hash", "@at", "%pct", "*star", "&amp", "!bang", "|pipe", ">gt", "?q", ",comma", "2026-11-24T01:32:01.632Z"];

describe("toPlainYaml", () => {
  it("writes a session record that reads back as itself", () => {
    const record = {
      session_id: "20261124T013201-24acc3",
      milestone: "release-0-2",
      status: "paused",
      saved_at: "2026-11-24T01:32:01.632Z",
      save_reason: "SIGINT",
      context: { working_directory: "/home/me/my project", git_branch: null, git_commit: "a1b2c3" },
      execution_state: { status: "paused", tasks_completed: 3, total_tasks: 10, percentage: 30.5 },
      resume_points: { next_tasks: ["build", "test-2", "1234"], command: "milestone-machine resume release-0-2" },
      empty_list: [],
      empty_map: {},
      skipped: undefined,
    };
    const text = toPlainYaml(record);
    const { skipped: _, ...expected } = record;
    expect(parse(text)).toStrictEqual(expected);
    expect(text).toContain("  next_tasks:\n    - build\n");
  });

  it("quotes every string that would not read back as itself", () => {
    for (const value of AWKWARD) expect(parse(toPlainYaml({ k: value, list: [value] })), JSON.stringify(value)).toStrictEqual({ k: value, list: [value] });
  });

  it("leaves anything outside its shape to the yaml library", () => {
    const data = { blockers: [{ type: "disk_space", task: null }], "odd key": 1 };
    expect(toPlainYaml(data)).toBe(stringify(data));
  });
});
