/**
 * Calendar arithmetic in Japan time (UTC+9, no daylight saving), whatever
 * the machine's zone. Nothing here reads the clock: dates come in as arguments.
 */
const JST_OFFSET_MS = 9 * 3600_000;
const DAY_MS = 86_400_000;

export interface JstDate {
  year: number;
  month: number; // 1-12
  day: number;
}

export function jstDate(d: Date): JstDate {
  const j = new Date(d.getTime() + JST_OFFSET_MS);
  return { year: j.getUTCFullYear(), month: j.getUTCMonth() + 1, day: j.getUTCDate() };
}

/** The instant of 00:00 Japan time on a calendar date. */
export function jstMidnight(date: JstDate): Date {
  return new Date(Date.UTC(date.year, date.month - 1, date.day) - JST_OFFSET_MS);
}

/** An instant at hh:mm Japan time on a calendar date. */
export function jstAt(date: JstDate, hhmm: string): Date {
  const [h, m] = hhmm.split(":").map(Number);
  return new Date(jstMidnight(date).getTime() + (h! * 60 + m!) * 60_000);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The same calendar day `months` months earlier or later, clamped to the
 * month's last day (31 May - 3 months = 28 or 29 February).
 */
export function addMonths(date: JstDate, months: number): JstDate {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

export function addDays(date: JstDate, days: number): JstDate {
  return jstDate(new Date(jstMidnight(date).getTime() + days * DAY_MS));
}

/** Whole calendar days from `a` to `b` in Japan time (b - a). */
export function calendarDaysBetween(a: Date, b: Date): number {
  return Math.round((jstMidnight(jstDate(b)).getTime() - jstMidnight(jstDate(a)).getTime()) / DAY_MS);
}

export function compareJstDate(a: JstDate, b: JstDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

export function formatJstDate(date: JstDate): string {
  return `${date.year}-${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`;
}
