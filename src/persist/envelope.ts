// The persisted snapshot's envelope (DESIGN §5): which machine and version wrote it, for which
// milestone and session, and the seq of the last event it includes.
import { z } from "zod";

export const envelopeSchema = z.object({
  schema: z.literal(1),
  machine: z.literal("milestone"),
  version: z.number().int().positive(),
  milestone_id: z.string(),
  session_id: z.string(),
  seq: z.number().int().min(0),
  saved_at: z.string(),
  save_reason: z.string(),
  /** `actor.getPersistedSnapshot()` of the root actor. */
  snapshot: z.looseObject({
    status: z.string(),
    value: z.unknown(),
    context: z.looseObject({}),
    children: z.record(z.string(), z.unknown()).optional(),
  }),
});

export type Envelope = z.infer<typeof envelopeSchema>;
