// The files `init` and `new` write. Plain text rather than generated YAML, so that they can
// carry the comments that explain the format to someone seeing it for the first time.
import { yamlLib } from "./yaml-lib.ts";

export const CONFIG_TEMPLATE = `# Project defaults for milestone-machine. Every key is optional.
# Check files with: milestone-machine validate

# How many tasks run at the same time.
concurrency: 2

# Defaults for every task, unless the milestone or the task says otherwise.
# timeout: 30m
# retries: 0

# The coding agent for tasks with an \`agent:\` prompt, or with neither \`run:\` nor \`agent:\`
# (their title, description and acceptance criteria become the prompt). The prompt is passed
# as the last argument. \`--agent CMD\` on the command line overrides this.
# agent:
#   command: ["claude", "-p"]

# What a task that fails for good does: block (wait for a person), fail, or continue.
# on_failure: block

# In a git work tree each completed task is committed on the branch milestone/<id>.
# git:
#   enabled: true              # false (or --no-git): no commits
#   branch_prefix: milestone/
#   push: false                # true (or --push): push the branch to \`remote\` once completed
#   remote: origin             # credentials: MILESTONE_GIT_TOKEN, or MILESTONE_GIT_USERNAME + _PASSWORD
#   checkpoint_interval: 5m    # commit work in progress when more than checkpoint_files changed
#   checkpoint_files: 10

# What blocks a run for a person (also per milestone, under \`checks:\`).
# checks:
#   test: npm test             # run after each completed task; a failure blocks
#   warn_after: 1h             # a task without timeout running longer than this blocks
#   min_free_percent: 10       # or min_free_mb: less free disk blocks
#   interval: 120s             # how often disk and git conflicts are checked

# Run when a milestone blocks, with the blockers as JSON on stdin.
# notify:
#   command: ["notify-send", "milestone blocked"]
`;

export const EXAMPLE_MILESTONE = `# An example milestone: three shell tasks; the last two run side by side.
# Run it with: milestone-machine execute example
id: example
title: Example milestone
description: Shows how tasks, dependencies and retries fit together.
status: planned
defaults:
  timeout: 1m
  retries: 0
tasks:
  - id: prepare
    title: Say what is about to happen
    run: echo "preparing"
  - id: hello
    title: Greet, after prepare
    run: sleep 1 && echo "hello from a task"
    dependencies: [prepare]
  - id: date
    title: Print the date, beside hello
    run: sleep 1 && date
    dependencies: [prepare]
    retries: 1
    # verify must succeed too for the task to count as done.
    verify: test -d .milestones
`;

/** A new milestone with one placeholder task, ready to edit. */
export function newMilestoneText(id: string, title: string): string {
  return `# Milestone ${id}. Tasks start as soon as the tasks they depend on are done.
# Check it with: milestone-machine validate ${id}
# Run it with:   milestone-machine execute ${id}
id: ${id}
title: ${yamlScalar(title)}
description: ""
status: planned
# dependencies:
#   requires: [other-milestone]   # milestones that must be completed first
defaults:
  timeout: 30m
  retries: 0
tasks:
  - id: first-step
    title: Replace with the first step
    # Either a shell command (run) or a prompt for the agent command (agent).
    run: echo "first step"
    # agent: Implement ... as described in docs/...
  # - id: second-step
  #   title: The next step
  #   run: npm test
  #   dependencies: [first-step]
`;
}

// A title as YAML: plain when that reads back the same, quoted otherwise (`: `, `#`, quotes).
function yamlScalar(text: string): string {
  return yamlLib().stringify(text, { lineWidth: 0 }).trimEnd();
}
