// The git the engine needs: `git merge-tree --write-tree` (a merge without a checkout) came in
// git 2.38. Asked once per run that uses git.
import { EXIT } from "../cli/exit-codes.ts";
import { ExitError } from "../errors.ts";
import { gitLine } from "./run-git.ts";

export const MIN_GIT = [2, 38] as const;

/** Resolves with git's version ("2.39.5"); rejects (exit 2: the machine, not the milestone, must
 *  change) when git is missing or older. */
export async function checkGitVersion(cwd: string): Promise<string> {
  const said = await gitLine(["--version"], { cwd });
  const match = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(said);
  const version = match ? match[0] : said;
  const [major, minor] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (major < MIN_GIT[0] || (major === MIN_GIT[0] && minor < MIN_GIT[1])) {
    throw new ExitError(
      `git ${version} is too old: running tasks in worktrees needs git ${MIN_GIT.join(".")} or newer (git merge-tree --write-tree)`,
      EXIT.badInput,
      "install a newer git, or run with --no-git (tasks then run in the project directory and nothing is committed)",
    );
  }
  return version;
}
