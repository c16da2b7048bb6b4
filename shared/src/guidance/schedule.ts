/**
 * When is a municipal counter next open? Japanese public holidays come from
 * @holiday-jp/holiday_jp (maintained data to 2050), reduced to dates by
 * scripts/gen-holidays.mjs; the n-th-weekday rules (2nd Sunday, 4th Saturday)
 * and the year-end closure from the municipality's data file.
 */
import { addDays, formatJstDate, type JstDate, jstAt, jstDate } from "../time.js";
import { HOLIDAYS_BY_YEAR } from "./holidays.generated.js";
import type { Municipality, OpeningRule } from "./schema.js";

export function isJapaneseHoliday(date: JstDate): boolean {
  const days = HOLIDAYS_BY_YEAR[date.year];
  if (days === undefined) return false;
  const mmdd = `${String(date.month).padStart(2, "0")}${String(date.day).padStart(2, "0")}`;
  return days.split(" ").includes(mmdd);
}

function weekdayOf(date: JstDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

function inClosure(date: JstDate, from: string, to: string): boolean {
  const md = `${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`;
  return from <= to ? md >= from && md <= to : md >= from || md <= to;
}

function ruleApplies(rule: OpeningRule, date: JstDate): boolean {
  const wd = weekdayOf(date);
  if (rule.closedOnHolidays && isJapaneseHoliday(date)) return false;
  if (rule.kind === "weekdays") return wd >= 1 && wd <= 5;
  if (rule.kind === "weekly") return wd === rule.weekday;
  return wd === rule.weekday && Math.floor((date.day - 1) / 7) + 1 === rule.n;
}

export interface Opening {
  date: string; // YYYY-MM-DD (Japan)
  weekday: number;
  open: string;
  close: string;
  start: Date;
  end: Date;
  /** The counter is open at the moment asked about. */
  openNow: boolean;
  rule: OpeningRule;
}

/** The opening sessions on one calendar day (Japan time). */
export function sessionsOn(m: Municipality, date: JstDate): OpeningRule[] {
  if ((m.window.closedEveryYear ?? []).some((c) => inClosure(date, c.from, c.to))) return [];
  return (m.window.hours ?? []).filter((r) => ruleApplies(r, date));
}

/** The next time the counter is open at or after `now` (searching 60 days). */
export function nextOpening(m: Municipality, now: Date): Opening | null {
  const today = jstDate(now);
  for (let i = 0; i < 60; i++) {
    const date = addDays(today, i);
    const sessions = sessionsOn(m, date).sort((a, b) => a.open.localeCompare(b.open));
    for (const rule of sessions) {
      const start = jstAt(date, rule.open);
      const end = jstAt(date, rule.close);
      if (now < end) {
        return {
          date: formatJstDate(date),
          weekday: weekdayOf(date),
          open: rule.open,
          close: rule.close,
          start,
          end,
          openNow: now >= start,
          rule,
        };
      }
    }
  }
  return null;
}

const WEEKDAYS_JA = ["日", "月", "火", "水", "木", "金", "土"];
const WEEKDAYS_EN = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "次の受付: 11月28日(土) 8:30〜12:00" / "next open: Sat 28 Nov, 8:30-12:00". */
export function describeOpening(o: Opening): { ja: string; en: string } {
  const [, mm, dd] = o.date.split("-").map(Number);
  const t = (s: string) => s.replace(/^0/, "");
  if (o.openNow)
    return {
      ja: `現在受付中(${t(o.close)}まで)`,
      en: `open now, until ${t(o.close)}`,
    };
  return {
    ja: `次の受付: ${mm}月${dd}日(${WEEKDAYS_JA[o.weekday]}) ${t(o.open)}〜${t(o.close)}`,
    en: `next open: ${WEEKDAYS_EN[o.weekday]} ${dd} ${MONTHS_EN[mm! - 1]}, ${t(o.open)}-${t(o.close)}`,
  };
}
