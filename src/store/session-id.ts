// Session ids sort by start time and stay unique across hosts: 20261123T204501-3f9a1c.
import { randomBytes } from "node:crypto";

export function newSessionId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").slice(0, 15);
  return `${stamp}-${randomBytes(3).toString("hex")}`;
}
