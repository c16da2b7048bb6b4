/**
 * Expiry reminders: at the start of the renewal window, 30 days and 7 days
 * before expiry, once each. Storage keeps only the three due dates per
 * certificate (and which reminders were shown), never the expiry date
 * itself (it is the holder's birthday), serials or names; the notifications
 * say how close expiry is, not the date.
 */
import {
  addDays,
  addMonths,
  type CertificateFacts,
  formatJstDate,
  type JstDate,
  jstDate,
  jstMidnight,
  VALIDITY_SCHEMES,
  validitySchemeFor,
} from "@jpki-guard/shared";

export type ReminderKind = "window" | "30" | "7";

/** When each reminder is due (Japan dates, YYYY-MM-DD); the day after the last one, nothing more. */
export interface Schedule {
  window: string;
  "30": string;
  "7": string;
  /** The first day no reminder is shown any more (expiry + 1). */
  end: string;
}

export interface Reminder {
  key: string;
  which: "auth" | "sign";
  kind: ReminderKind;
}

const parse = (d: string): JstDate => {
  const [year, month, day] = d.split("-").map(Number) as [number, number, number];
  return { year, month, day };
};

/** The reminder dates for a certificate (its renewal window from its validity scheme), or null. */
export function scheduleFor(
  cert: Pick<CertificateFacts, "notAfter" | "keyAlgorithm"> | null | undefined,
): Schedule | null {
  if (!cert?.notAfter) return null;
  const t = new Date(cert.notAfter);
  if (Number.isNaN(t.getTime())) return null;
  const expiry = jstDate(t);
  const months = VALIDITY_SCHEMES[validitySchemeFor(cert)].renewalWindowMonths;
  return {
    window: formatJstDate(addMonths(expiry, -months)),
    "30": formatJstDate(addDays(expiry, -30)),
    "7": formatJstDate(addDays(expiry, -7)),
    end: formatJstDate(addDays(expiry, 1)),
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export function validSchedule(s: unknown): s is Schedule {
  const o = s as Record<string, unknown> | null;
  return !!o && ["window", "30", "7", "end"].every((k) => typeof o[k] === "string" && DATE.test(o[k] as string));
}

/** Reminders due on `now` that have not been shown yet: the latest applicable kind per certificate. */
export function dueReminders(
  schedules: { auth: Schedule | null; sign: Schedule | null },
  shown: string[],
  now: Date,
): Reminder[] {
  const out: Reminder[] = [];
  for (const which of ["auth", "sign"] as const) {
    const s = schedules[which];
    if (!s || !validSchedule(s)) continue;
    const at = (d: string) => now >= jstMidnight(parse(d));
    if (at(s.end)) continue;
    const kind: ReminderKind | null = at(s["7"]) ? "7" : at(s["30"]) ? "30" : at(s.window) ? "window" : null;
    if (!kind) continue;
    const key = `${which}:${s[kind]}:${kind}`;
    if (!shown.includes(key)) out.push({ key, which, kind });
  }
  return out;
}
