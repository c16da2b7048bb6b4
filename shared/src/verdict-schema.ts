/**
 * The verdict's schema (zod), for the host's replies and the extension's
 * checks; the rules that build verdicts are in verdict.ts and need no zod.
 */
import * as z from "zod/mini";
import { TextSchema } from "./guidance/schema.js";
import { ACTIONS, FINDING_CODES, LEVELS, STEP_CODES } from "./verdict.js";

const ParamsSchema = z.record(z.string(), z.union([z.string(), z.number()]));

export const NextStepSchema = z.strictObject({ code: z.enum(STEP_CODES), text: TextSchema, url: z.optional(z.url()) });
export type NextStep = z.infer<typeof NextStepSchema>;

export const FindingSchema = z.strictObject({
  code: z.enum(FINDING_CODES),
  severity: z.enum(["blocker", "warning", "info"]),
  /** Which actions it stands in the way of (empty: information only). */
  affects: z.array(z.enum(ACTIONS)),
  params: ParamsSchema,
  text: TextSchema,
  steps: z.array(NextStepSchema),
});
export type Finding = z.infer<typeof FindingSchema>;

export const VerdictSchema = z.strictObject({
  level: z.enum(LEVELS),
  action: z.enum(ACTIONS),
  readiness: z.strictObject({ login: z.enum(LEVELS), sign: z.enum(LEVELS) }),
  /** The date the verdict is for (ISO), in case it is not today (`--on`). */
  on: z.string(),
  findings: z.array(FindingSchema),
  window: z.strictObject({
    municipality: z.nullable(z.string()),
    name: TextSchema,
    place: z.nullable(TextSchema),
    phone: z.nullable(z.string()),
    next: z.nullable(TextSchema),
    /** 「この情報は…時点のものです」 for old curated data; for other municipalities, "check its own page". */
    notice: z.nullable(TextSchema),
  }),
  summary: TextSchema,
  /** 「暗証番号がわからない」: what to do for each PIN, offered whatever the tries count. */
  pinHelp: z.strictObject({ auth: z.array(NextStepSchema), sign: z.array(NextStepSchema) }),
});
export type Verdict = z.infer<typeof VerdictSchema>;
