// Finds the commit a task already made on the milestone branch, so that a task re-run after a
// crash (DESIGN §6.2) is not committed twice. Walks back from the tip only while commits carry
// this milestone's trailer (stopping where the branch left its base), and remembers what it saw:
// the next call reads only commits newer than the last tip it walked.
import fs from "node:fs";
import git from "isomorphic-git";
import type { GitRepo } from "./find-repository.ts";

// Per repository and milestone: what the last walk saw. isomorphic-git's object cache beside it.
const walks = new Map<string, Seen>();
const objects = {};

/** The commit of `taskId` on the milestone branch whose tip is `tip`, or null. */
export async function findTaskCommit(repo: GitRepo, tip: string, milestoneId: string, taskId: string): Promise<string | null> {
  const key = `${repo.gitdir}\0${milestoneId}`;
  const known = walks.get(key);
  if (known?.tip !== tip) walks.set(key, await walk(repo, tip, milestoneId, known));
  return walks.get(key)!.byTask.get(taskId) ?? null;
}

type Seen = { tip: string; byTask: Map<string, string> };

async function walk(repo: GitRepo, tip: string, milestoneId: string, known: Seen | undefined): Promise<Seen> {
  const byTask = new Map<string, string>();
  let oid: string | undefined = tip;
  while (oid) {
    if (oid === known?.tip) {
      // Older commits were walked before; newer ones (already in byTask) win.
      for (const [task, sha] of known.byTask) if (!byTask.has(task)) byTask.set(task, sha);
      break;
    }
    const { commit } = await git.readCommit({ fs, gitdir: repo.gitdir, oid, cache: objects });
    const trailers = readTrailers(commit.message);
    if (trailers.get("Milestone") !== milestoneId) break;
    const task = trailers.get("Task");
    if (task !== undefined && !byTask.has(task)) byTask.set(task, oid);
    oid = commit.parent[0];
  }
  return { tip, byTask };
}

/** `Key: value` lines of the message's last paragraph (git-interpret-trailers' trailer block). */
export function readTrailers(message: string): Map<string, string> {
  const paragraphs = message.trim().split(/\n\s*\n/);
  const trailers = new Map<string, string>();
  for (const line of paragraphs[paragraphs.length - 1].split("\n")) {
    const match = /^([A-Za-z][\w-]*):\s*(.*?)\s*$/.exec(line);
    if (match) trailers.set(match[1], match[2]);
  }
  return trailers;
}
