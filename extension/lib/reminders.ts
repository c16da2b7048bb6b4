/**
 * Expiry reminders: at the start of the renewal window, 30 days and 7 days
 * before expiry, once each. Only dates and which reminders were shown are
 * stored, never serials or names.
 */
import { addMonths, calendarDaysBetween, formatJstDate, jstDate, jstMidnight } from "@jpki-guard/shared";

export interface Reminder {
  key: string;
  which: "auth" | "sign";
  expiry: string; // YYYY-MM-DD Japan
  kind: "window" | "30" | "7";
  daysLeft: number;
}

/** Reminders due on `now` for the stored expiry dates that have not been shown yet. */
export function dueReminders(
  expiry: { auth: string | null; sign: string | null },
  shown: string[],
  now: Date,
): Reminder[] {
  const out: Reminder[] = [];
  for (const which of ["auth", "sign"] as const) {
    const e = expiry[which];
    if (!e || !/^\d{4}-\d{2}-\d{2}$/.test(e)) continue;
    const [y, m, d] = e.split("-").map(Number) as [number, number, number];
    const expiryDay = { year: y, month: m, day: d };
    const expiryStart = jstMidnight(expiryDay);
    const daysLeft = calendarDaysBetween(now, expiryStart);
    if (daysLeft < 0) continue;
    const windowOpens = jstMidnight(addMonths(expiryDay, -3));
    const candidates: Array<[Reminder["kind"], boolean]> = [
      ["window", now >= windowOpens && daysLeft > 30],
      ["30", daysLeft <= 30 && daysLeft > 7],
      ["7", daysLeft <= 7],
    ];
    for (const [kind, due] of candidates) {
      const key = `${which}:${e}:${kind}`;
      if (due && !shown.includes(key)) out.push({ key, which, expiry: e, kind, daysLeft });
    }
  }
  return out;
}

export function expiryDate(iso: string | null | undefined): string | null {
  return iso ? formatJstDate(jstDate(new Date(iso))) : null;
}
