/**
 * Guidance data: national rules and one data file per municipality,
 * validated by these schemas (a test validates every file).
 */
import * as z from "zod/mini";

const text = z.string().check(z.minLength(1), z.maxLength(2000));
export const TextSchema = z.strictObject({ ja: text, en: text });
export type Text = z.infer<typeof TextSchema>;

const hhmm = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, "time must be HH:MM (24 h)"));
const monthDay = z.string().check(z.regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, "date must be MM-DD"));
const isoDay = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));

export const OpeningRuleSchema = z
  .strictObject({
    /** weekdays: Monday to Friday; nth: the n-th given weekday of each month. */
    kind: z.enum(["weekdays", "nth-weekday"]),
    n: z.optional(z.int().check(z.minimum(1), z.maximum(5))),
    weekday: z.optional(z.int().check(z.minimum(0), z.maximum(6))),
    open: hhmm,
    close: hhmm,
    /** Closed on Japanese public holidays. */
    closedOnHolidays: z.boolean(),
    note: z.optional(TextSchema),
  })
  .check(
    z.refine((r) => r.kind !== "nth-weekday" || (r.n !== undefined && r.weekday !== undefined), {
      message: "nth-weekday needs n and weekday",
    }),
    z.refine((r) => r.open < r.close, { message: "open must be before close" }),
  );
export type OpeningRule = z.infer<typeof OpeningRuleSchema>;

const phone = z.string().check(z.regex(/^0\d{1,4}-\d{1,4}-\d{3,4}$/, "phone must look like 0463-71-6521"));
const texts = (min: number) => z.array(TextSchema).check(z.minLength(min));

export const MunicipalitySchema = z.strictObject({
  id: z.string().check(z.regex(/^[a-z0-9-]{2,40}$/)),
  name: TextSchema,
  prefecture: TextSchema,
  source: z.strictObject({ title: z.string(), updated: isoDay }),
  window: z.strictObject({
    name: TextSchema,
    place: TextSchema,
    phone: phone,
    hours: z.array(OpeningRuleSchema).check(z.minLength(1), z.maxLength(10)),
    closedEveryYear: z.array(z.strictObject({ from: monthDay, to: monthDay })).check(z.maxLength(10)),
    hoursNote: z.optional(TextSchema),
  }),
  inquiries: z.strictObject({ name: TextSchema, phone: phone, fax: z.optional(phone) }),
  renewal: z.strictObject({
    reservationRequired: z.boolean(),
    reservationSince: z.optional(isoDay),
    reservation: TextSchema,
    reservationUrl: z.optional(z.url()),
    noReservationContact: TextSchema,
    bringInPerson: texts(1),
    bringByProxy: texts(1),
    notAccepted: texts(0),
  }),
  pinReset: z.strictObject({ inPerson: texts(1), byProxy: TextSchema }),
  notes: z.array(TextSchema).check(z.maxLength(20)),
});
export type Municipality = z.infer<typeof MunicipalitySchema>;
