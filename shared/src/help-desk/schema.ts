/** The schema of error-codes.json (validated by its unit test). */
import * as z from "zod/mini";
import { TextSchema } from "../guidance/schema.js";
import { FINDING_CODES } from "../verdict.js";

export const ErrorCodeEntrySchema = z.strictObject({
  code: z.string().check(z.regex(/^[A-Z0-9-]{2,20}$/)),
  aliases: z.array(z.string().check(z.maxLength(20))),
  where: TextSchema,
  /** The message the portal shows with the code, when known (Japanese, as shown). */
  shown: z.nullable(z.string().check(z.maxLength(200))),
  meaning: TextSchema,
  /** reported: several independent reports agree; unconfirmed: one source, or contradicting ones. */
  confidence: z.enum(["reported", "unconfirmed"]),
  source: z.string().check(z.minLength(10), z.maxLength(300)),
  /** Which action's readiness the code is about. */
  action: z.enum(["login", "sign"]),
  /** Findings that, on this card, explain the code. */
  explainedBy: z.array(z.enum(FINDING_CODES)).check(z.minLength(1)),
  /** What to say when the card shows none of them. */
  otherwise: TextSchema,
});
export const ErrorCodesSchema = z.strictObject({
  $comment: z.optional(z.string()),
  entries: z.array(ErrorCodeEntrySchema).check(z.minLength(1)),
});
export type ErrorCodeEntry = z.infer<typeof ErrorCodeEntrySchema>;
