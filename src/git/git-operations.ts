// Everything the git agent does to a repository, in one module that the run loads only once it
// knows it is in a work tree: isomorphic-git's dependencies read the environment as they load,
// which a Deno run with a narrowed --allow-env must not pay for when git is not used.
export { ensureBranch } from "./ensure-branch.ts";
export { findConflicts } from "./find-conflicts.ts";
export { commitTask } from "./commit-task.ts";
export { checkpoint } from "./checkpoint.ts";
export { resolveAuthor } from "./resolve-author.ts";
export { pushBranch } from "./push-branch.ts";
