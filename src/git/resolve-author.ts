// Who commits: the configured git.author, else what git itself would use (GIT_AUTHOR_* variables,
// then user.name / user.email from the repository's and the user's git config).
import type { GitRepo } from "./find-repository.ts";
import { readConfig } from "./git-config.ts";
import { GitError } from "./git-error.ts";

export interface Author {
  name: string;
  email: string;
}

export async function resolveAuthor(repo: GitRepo, configured?: Author): Promise<Author> {
  if (configured?.name && configured.email) return { name: configured.name, email: configured.email };
  const name = process.env.GIT_AUTHOR_NAME || (await readConfig(repo, "user.name"));
  const email = process.env.GIT_AUTHOR_EMAIL || (await readConfig(repo, "user.email"));
  if (name && email) return { name, email };
  const missing = [name ? null : "user.name", email ? null : "user.email"].filter(Boolean).join(" and ");
  throw new GitError(
    `no git author: ${missing} is not set for ${repo.dir}`,
    "no_author",
    'run `git config user.name "Your Name"` and `git config user.email you@example.com` ' +
      "(add --global for every repository), or set git.author: { name, email } in .milestones/config.yaml; " +
      "under Deno, ~/.gitconfig counts only if --allow-read covers it",
  );
}
