/**
 * What a help-desk report carries (the doctor's checklist and the card's
 * facts as a report may show them: dates to the day, no fingerprint, no
 * serial numbers). Built by the bridge (report.ts, doctor.ts), shown by the
 * CLI and the popup.
 */
import * as z from "zod/mini";
import { ERROR_CODES } from "./errors.js";
import {
  CardKindSchema,
  ChainStatusSchema,
  IssuerSchema,
  KeyAlgorithmSchema,
  KeyCurveSchema,
  NotCheckedSchema,
  PinFactsSchema,
  PresenceSchema,
} from "./facts-schema.js";
import { TextSchema } from "./guidance/schema.js";
import { LEVELS } from "./verdict.js";

const day = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));

export const ReportCertificateSchema = z.strictObject({
  validFrom: day,
  validTo: day,
  issuer: IssuerSchema,
  chain: ChainStatusSchema,
  keyAlgorithm: KeyAlgorithmSchema,
  keyBits: z.int().check(z.nonnegative()),
  keyCurve: KeyCurveSchema,
});
export type ReportCertificate = z.infer<typeof ReportCertificateSchema>;

export const ReportFactsSchema = z.strictObject({
  checkedOn: day,
  reader: z.nullable(z.strictObject({ model: z.string().check(z.maxLength(120)), virtual: z.boolean() })),
  card: z.nullable(z.strictObject({ kind: CardKindSchema, atr: z.string().check(z.regex(/^[0-9A-F]{0,66}$/)) })),
  presence: z.strictObject({ auth: PresenceSchema, signature: PresenceSchema }),
  authCertificate: z.nullable(ReportCertificateSchema),
  signatureCertificate: z.nullable(ReportCertificateSchema),
  pins: z.strictObject({ auth: PinFactsSchema, signature: PinFactsSchema }),
  notChecked: z.array(NotCheckedSchema).check(z.maxLength(16)),
  problems: z.array(z.enum(ERROR_CODES)).check(z.maxLength(16)),
  apduCount: z.int().check(z.nonnegative()),
  cached: z.boolean(),
});
export type ReportFacts = z.infer<typeof ReportFactsSchema>;

export const DoctorItemSchema = z.strictObject({
  id: z.string().check(z.maxLength(80)),
  ok: z.boolean(),
  /** ok / warning / fail (`ok` is true only for "ok"); absent in reports written before the three states. */
  status: z.optional(z.enum(["ok", "warning", "fail"])),
  detail: z.string().check(z.maxLength(2000)),
  next: z.optional(TextSchema),
});
export type DoctorItem = z.infer<typeof DoctorItemSchema>;

/** The result of `diagnose`: the doctor's checklist as text and items, the report's facts, the verdict's gist. */
export const DiagnoseResultSchema = z.strictObject({
  text: z.string().check(z.maxLength(20_000)),
  items: z.array(DoctorItemSchema).check(z.maxLength(64)),
  facts: ReportFactsSchema,
  verdict: z.strictObject({
    level: z.enum(LEVELS),
    readiness: z.strictObject({ login: z.enum(LEVELS), sign: z.enum(LEVELS) }),
    findings: z.array(z.string().check(z.maxLength(64))).check(z.maxLength(64)),
  }),
});
export type DiagnoseResult = z.infer<typeof DiagnoseResultSchema>;
