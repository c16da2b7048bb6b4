/**
 * Guidance data: national rules and one data file per curated municipality,
 * validated by these schemas (a unit test validates every file; contributors
 * run `jpki-guard guidance validate FILE`). docs/municipalities.md explains
 * each field to a municipality's staff or a volunteer.
 */
import * as z from "zod/mini";

const text = z.string().check(z.minLength(1), z.maxLength(2000));
export const TextSchema = z.strictObject({ ja: text, en: text });
export type Text = z.infer<typeof TextSchema>;

const hhmm = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, "time must be HH:MM (24 h)"));
const monthDay = z.string().check(z.regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, "date must be MM-DD"));
const isoDay = z.string().check(
  z.regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, "date must be YYYY-MM-DD"),
  z.refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    {
      message: "date must exist in the calendar",
    },
  ),
);

/**
 * The local government code (全国地方公共団体コード): 5 digits and a check
 * digit, (11 - (6d1 + 5d2 + 4d3 + 3d4 + 2d5) mod 11) mod 10.
 */
export function lgCodeCheckDigit(five: string): number {
  const sum = [6, 5, 4, 3, 2].reduce((a, w, i) => a + w * Number(five[i]), 0);
  return (11 - (sum % 11)) % 10;
}
export const LgCodeSchema = z.string().check(
  z.regex(/^\d{6}$/, "code must be the 6-digit local government code"),
  z.refine((c) => lgCodeCheckDigit(c.slice(0, 5)) === Number(c[5]), { message: "the code's check digit is wrong" }),
);

/**
 * Where a group of facts comes from: the municipality's own public page, the
 * date the page itself says it was updated, and the date this file was
 * written from it.
 */
export const SourceSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  title: z.string().check(z.minLength(1), z.maxLength(200)),
  /**
   * The page's own update date (最終更新日 / 更新日 / 公開日), or null when the
   * page shows none: the guidance then always says when the file was written.
   */
  updated: z.nullable(isoDay),
  /** The day this file was written from the page. */
  written: isoDay,
});
export type Source = z.infer<typeof SourceSchema>;

export const OpeningRuleSchema = z
  .strictObject({
    /** weekdays: Monday to Friday; weekly: every given weekday; nth-weekday: the n-th given weekday of each month. */
    kind: z.enum(["weekdays", "weekly", "nth-weekday"]),
    n: z.optional(z.int().check(z.minimum(1), z.maximum(5))),
    /** 0 Sunday ... 6 Saturday. */
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
    z.refine((r) => r.kind !== "weekly" || (r.weekday !== undefined && r.n === undefined), {
      message: "weekly needs weekday and no n",
    }),
    z.refine((r) => r.kind !== "weekdays" || (r.weekday === undefined && r.n === undefined), {
      message: "weekdays takes neither n nor weekday",
    }),
    z.refine((r) => r.open < r.close, { message: "open must be before close" }),
  );
export type OpeningRule = z.infer<typeof OpeningRuleSchema>;

const phone = z.string().check(z.regex(/^0\d{1,4}-\d{1,4}-\d{3,4}$/, "phone must look like 0463-71-6521"));
const texts = (min: number) => z.array(TextSchema).check(z.minLength(min), z.maxLength(20));

export const MunicipalitySchema = z.strictObject({
  /** Informational: which schema a file was written for. */
  $schema: z.optional(z.string()),
  /** The local government code: a designated city's file covers its wards unless a ward has its own. */
  code: LgCodeSchema,
  /** Older ids that still select this file (hiratsuka). */
  aliases: z.optional(z.array(z.string().check(z.regex(/^[a-z][a-z0-9-]{1,39}$/))).check(z.maxLength(5))),
  name: TextSchema,
  prefecture: TextSchema,
  /** The counter for certificate renewal and PIN resets. */
  window: z.strictObject({
    name: TextSchema,
    place: TextSchema,
    phone: z.optional(phone),
    /** Opening rules; leave out when the page gives none that fit the rules. */
    hours: z.optional(z.array(OpeningRuleSchema).check(z.minLength(1), z.maxLength(10))),
    closedEveryYear: z.optional(z.array(z.strictObject({ from: monthDay, to: monthDay })).check(z.maxLength(10))),
    hoursNote: z.optional(TextSchema),
    source: SourceSchema,
  }),
  inquiries: z.optional(
    z.strictObject({ name: TextSchema, phone: phone, fax: z.optional(phone), source: SourceSchema }),
  ),
  renewal: z.strictObject({
    /** null: the page does not say (the guidance then sends the citizen to the municipality's page). */
    reservationRequired: z.nullable(z.boolean()),
    reservationSince: z.optional(isoDay),
    /** How to book, or that no booking is needed, as the page says. */
    reservation: z.optional(TextSchema),
    reservationUrl: z.optional(z.url({ protocol: /^https?$/ })),
    noReservationContact: z.optional(TextSchema),
    bringInPerson: z.optional(texts(1)),
    bringByProxy: z.optional(texts(1)),
    notAccepted: z.optional(texts(0)),
    source: SourceSchema,
  }),
  pinReset: z.optional(z.strictObject({ inPerson: texts(1), byProxy: z.optional(TextSchema), source: SourceSchema })),
  notes: z.optional(z.array(z.strictObject({ ja: text, en: text, source: SourceSchema })).check(z.maxLength(20))),
});
export type Municipality = z.infer<typeof MunicipalitySchema>;
