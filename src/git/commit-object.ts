// The bytes of a commit object (gitformat-commit): tree, parents, author and committer lines,
// a blank line, the message.
export interface Signature {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  timestamp: number;
  /** Minutes east of UTC, e.g. 60 for +0100. */
  offsetMinutes: number;
}

export function signatureNow(person: { name: string; email: string }, now = new Date()): Signature {
  return { ...person, timestamp: Math.floor(now.getTime() / 1000), offsetMinutes: -now.getTimezoneOffset() };
}

export function commitBody(tree: string, parents: string[], author: Signature, committer: Signature, message: string): Buffer {
  const lines = [`tree ${tree}`, ...parents.map((p) => `parent ${p}`), `author ${ident(author)}`, `committer ${ident(committer)}`];
  return Buffer.from(`${lines.join("\n")}\n\n${message}`);
}

// git refuses idents with angle brackets or newlines in the name or email; strip them as it does.
function ident(s: Signature): string {
  const clean = (text: string) => text.replace(/[<>\n]/g, "").trim();
  const sign = s.offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(s.offsetMinutes);
  const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}${String(abs % 60).padStart(2, "0")}`;
  return `${clean(s.name)} <${clean(s.email)}> ${s.timestamp} ${zone}`;
}
