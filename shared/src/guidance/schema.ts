/**
 * Guidance data: national rules and one data file per municipality,
 * validated by these schemas (a test validates every file).
 */
import { z } from "zod";

export const TextSchema = z.object({ ja: z.string().min(1).max(2000), en: z.string().min(1).max(2000) }).strict();
export type Text = z.infer<typeof TextSchema>;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "time must be HH:MM (24 h)");
const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, "date must be MM-DD");

export const OpeningRuleSchema = z
  .object({
    /** weekdays: Monday to Friday; nth: the n-th given weekday of each month. */
    kind: z.enum(["weekdays", "nth-weekday"]),
    n: z.number().int().min(1).max(5).optional(),
    weekday: z.number().int().min(0).max(6).optional(),
    open: hhmm,
    close: hhmm,
    /** Closed on Japanese public holidays. */
    closedOnHolidays: z.boolean(),
    note: TextSchema.optional(),
  })
  .strict()
  .refine((r) => r.kind !== "nth-weekday" || (r.n !== undefined && r.weekday !== undefined), {
    message: "nth-weekday needs n and weekday",
  })
  .refine((r) => r.open < r.close, { message: "open must be before close" });
export type OpeningRule = z.infer<typeof OpeningRuleSchema>;

const phone = z.string().regex(/^0\d{1,4}-\d{1,4}-\d{3,4}$/, "phone must look like 0463-71-6521");

export const MunicipalitySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{2,40}$/),
    name: TextSchema,
    prefecture: TextSchema,
    source: z.object({ title: z.string(), updated: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }).strict(),
    window: z
      .object({
        name: TextSchema,
        place: TextSchema,
        phone: phone,
        hours: z.array(OpeningRuleSchema).min(1).max(10),
        closedEveryYear: z.array(z.object({ from: monthDay, to: monthDay }).strict()).max(10),
        hoursNote: TextSchema.optional(),
      })
      .strict(),
    inquiries: z.object({ name: TextSchema, phone: phone, fax: phone.optional() }).strict(),
    renewal: z
      .object({
        reservationRequired: z.boolean(),
        reservationSince: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
          .optional(),
        reservation: TextSchema,
        reservationUrl: z.url().optional(),
        noReservationContact: TextSchema,
        bringInPerson: z.array(TextSchema).min(1),
        bringByProxy: z.array(TextSchema).min(1),
        notAccepted: z.array(TextSchema),
      })
      .strict(),
    pinReset: z.object({ inPerson: z.array(TextSchema).min(1), byProxy: TextSchema }).strict(),
    notes: z.array(TextSchema).max(20),
  })
  .strict();
export type Municipality = z.infer<typeof MunicipalitySchema>;
