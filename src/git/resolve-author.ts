// Who commits: the configured git.author, else what git itself would use (GIT_AUTHOR_* variables,
// then user.name / user.email as git resolves them: repository, global and included files).
import type { GitRepo } from "./find-repository.ts";
import { GitError } from "./git-error.ts";
import { runGit } from "./run-git.ts";

export interface Author {
  name: string;
  email: string;
}

export async function resolveAuthor(repo: GitRepo, configured?: Author): Promise<Author> {
  if (configured?.name && configured.email) return { name: configured.name, email: configured.email };
  const name = process.env.GIT_AUTHOR_NAME || (await configValue(repo, "user.name"));
  const email = process.env.GIT_AUTHOR_EMAIL || (await configValue(repo, "user.email"));
  if (name && email) return { name, email };
  const missing = [name ? null : "user.name", email ? null : "user.email"].filter(Boolean).join(" and ");
  throw new GitError(
    `no git author: ${missing} is not set for ${repo.dir}`,
    "no_author",
    'run `git config user.name "Your Name"` and `git config user.email you@example.com` ' +
      "(add --global for every repository), or set git.author: { name, email } in .milestones/config.yaml",
  );
}

/** The variables that make git commit as `author`, whatever the configuration says. */
export function authorEnv(author: Author): Record<string, string> {
  return { GIT_AUTHOR_NAME: author.name, GIT_AUTHOR_EMAIL: author.email, GIT_COMMITTER_NAME: author.name, GIT_COMMITTER_EMAIL: author.email };
}

async function configValue(repo: GitRepo, key: string): Promise<string | undefined> {
  const r = await runGit(["config", "--get", key], { cwd: repo.dir, okCodes: [0, 1] });
  return r.code === 0 ? r.stdout.trim() || undefined : undefined;
}
