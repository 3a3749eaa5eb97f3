// Snapshots on disk: `.milestones/sessions/<session>.json`, one per session, each written
// atomically. The newest for a milestone is the one with the highest seq.
import fs from "node:fs";
import path from "node:path";
import { ExitError } from "../errors.ts";
import { EXIT } from "../cli/exit-codes.ts";
import { writeFileAtomic } from "../store/atomic-write.ts";
import type { Layout } from "../store/layout.ts";
import { MILESTONE_MACHINE_VERSION } from "../../machines/milestone.ts";
import type { Envelope } from "./envelope.ts";
import { isEnvelope } from "./quick-envelope.ts";

export const snapshotFile = (layout: Layout, sessionId: string) => path.join(layout.sessionsDir, `${sessionId}.json`);

export function saveEnvelope(layout: Layout, envelope: Envelope): number {
  fs.mkdirSync(layout.sessionsDir, { recursive: true });
  const text = JSON.stringify(envelope);
  writeFileAtomic(snapshotFile(layout, envelope.session_id), text, "snapshot-write");
  return Buffer.byteLength(text);
}

/** The newest valid snapshot of a milestone, or null. An incompatible one is an error, never skipped. */
export async function loadNewestEnvelope(layout: Layout, milestoneId: string): Promise<Envelope | null> {
  let names: string[];
  try {
    names = fs.readdirSync(layout.sessionsDir).filter((n) => n.endsWith(".json"));
  } catch {
    return null;
  }
  let newest: Envelope | null = null;
  for (const name of names) {
    const file = path.join(layout.sessionsDir, name);
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
      throw new ExitError(`${file}: not a readable snapshot: ${(error as Error).message}`, EXIT.badInput, "move the file away to resume from the event log alone");
    }
    if ((raw as { milestone_id?: unknown })?.milestone_id !== milestoneId) continue;
    const envelope = isEnvelope(raw) ? raw : await checkedEnvelope(file, raw);
    if (envelope.version !== MILESTONE_MACHINE_VERSION) {
      throw new ExitError(
        `${file}: snapshot of machine version ${envelope.version}, but this milestone-machine runs version ${MILESTONE_MACHINE_VERSION}`,
        EXIT.badInput,
        "finish the milestone with the version that started it, or move the file away to resume from the event log alone",
      );
    }
    if (!newest || envelope.seq > newest.seq) newest = envelope;
  }
  return newest;
}

// A snapshot the quick check refused: the schema says what is wrong with it.
async function checkedEnvelope(file: string, raw: unknown): Promise<Envelope> {
  const { envelopeSchema } = await import("./envelope.ts");
  const parsed = envelopeSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ExitError(
    `${file}: not a snapshot this version can restore (${issue.path.join(".") || "envelope"}: ${issue.message})`,
    EXIT.badInput,
    "move the file away to resume from the event log alone",
  );
}
