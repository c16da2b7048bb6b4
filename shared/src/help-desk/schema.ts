/** The schema of error-codes.json (validated by its unit test). */
import * as z from "zod/mini";
import { TextSchema } from "../guidance/schema.js";
import { FINDING_CODES } from "../verdict.js";
import { CONFIDENCES, SYSTEMS } from "./systems.js";

const partialDate = z.string().check(z.regex(/^\d{4}(-\d{2}(-\d{2})?)?$/));

export const ErrorCodeSourceSchema = z.strictObject({
  /** The site or document (a name, not a sentence from it). */
  name: z.string().check(z.minLength(3), z.maxLength(120)),
  /** Which page or file of it, when known. */
  ref: z.nullable(z.string().check(z.maxLength(120))),
  /** The page's own date (year, month or day), or null when it shows none. */
  date: z.nullable(partialDate),
  /** official: the operator's own page or software; third-party: anyone else. */
  kind: z.enum(["official", "third-party"]),
});

export const ErrorCodeEntrySchema = z.strictObject({
  /** The code as the system shows it, or null for a message without a code (found by its words). */
  code: z.nullable(z.string().check(z.regex(/^[A-Z0-9-]{2,20}$/))),
  aliases: z.array(z.string().check(z.maxLength(20))),
  /** Fragments of the shown message that find the entry when a person types the words instead of a code. */
  words: z.array(z.string().check(z.minLength(4), z.maxLength(60))),
  /** The system it was seen in: a code can mean different things in different systems. */
  system: z.enum(SYSTEMS),
  where: TextSchema,
  /** The message the system shows with the code, when known (Japanese, as shown). */
  shown: z.nullable(z.string().check(z.maxLength(200))),
  meaning: TextSchema,
  /** official: from the operator; third-party: from others' reports; unverified: one unconfirmed report. */
  confidence: z.enum(CONFIDENCES),
  sources: z.array(ErrorCodeSourceSchema).check(z.minLength(1)),
  /** The day the entry was written from its sources. */
  collected: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
  /** Which action's readiness the code is about. */
  action: z.enum(["login", "sign"]),
  /** Findings that, on this card, explain the code (none: the card cannot be the cause). */
  explainedBy: z.array(z.enum(FINDING_CODES)),
  /** What to check on the computer or phone (OS, browser, the official app, the network), when it applies. */
  environment: z.nullable(TextSchema),
  /** What to say when the card shows none of them. */
  otherwise: TextSchema,
  /** The same code number is used by other systems with other meanings: ask where it was seen. */
  generic: z.boolean(),
  /**
   * What `jpki-guard explain` (the CLI, on the computer it runs on) also looks at for this code:
   * "official-app-host", whether the official app's native host is registered with the browsers (the
   * doctor's official-app item, read-only). The popup cannot look, so it shows the entry alone.
   */
  machine: z.optional(z.enum(["official-app-host"])),
});
export const ErrorCodesSchema = z.strictObject({
  $comment: z.optional(z.string()),
  entries: z.array(ErrorCodeEntrySchema).check(z.minLength(1)),
});
export type ErrorCodeEntry = z.infer<typeof ErrorCodeEntrySchema>;
