// What the agent of a task with `on_conflict: agent` is told when its work does not merge onto
// the milestone branch: git has merged the branch into its worktree and left conflict markers.

export interface ConflictPromptInput {
  milestoneId: string;
  taskId: string;
  title: string;
  /** The milestone branch whose newer work was merged in. */
  branch: string;
  files: string[];
}

export function conflictPrompt(input: ConflictPromptInput): string {
  return [
    `You worked on task '${input.title}' (${input.taskId}) of milestone ${input.milestoneId} in this git worktree.`,
    `Meanwhile other tasks landed on ${input.branch}. It has been merged into your work, and git could not merge these files: ${input.files.join(", ")}.`,
    "They now contain conflict markers (<<<<<<<, =======, >>>>>>>).",
    "Resolve every conflict so that both your change and theirs are kept as each intended, remove all markers, and make sure the result still works.",
    "Do not commit, do not abort the merge and do not touch other files: the engine commits and lands the result once you are done.",
  ].join("\n");
}

/** The files among `files` (relative to `dir`) that still hold a conflict marker line. */
export function filesWithMarkers(read: (file: string) => string | null, files: string[]): string[] {
  return files.filter((file) => {
    const text = read(file);
    return text !== null && /^(<{7}|>{7})( |$)/m.test(text);
  });
}
