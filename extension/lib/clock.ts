/**
 * The background's calendar in Japan time: whether a verdict was judged on
 * an earlier day than today, the next Japan-time midnight (when every
 * verdict shown is judged again), and the "as of" time of a state that is
 * no longer live. Pure: the clock is passed in.
 */
import { addDays, compareJstDate, jstDate, jstMidnight, type Status } from "@jpki-guard/shared";

/** The verdict was judged on an earlier Japan-time day than `now` (its day counts may be wrong now). */
export function judgedBeforeToday(s: Status, now: Date): boolean {
  const on = new Date(s.verdict.on);
  if (Number.isNaN(on.getTime())) return true;
  return compareJstDate(jstDate(on), jstDate(now)) < 0;
}

/** The next 00:00 Japan time after `now`. */
export function nextJstMidnight(now: Date): Date {
  return jstMidnight(addDays(jstDate(now), 1));
}

/** "12:30" on the same Japan-time day as `now`, else "11/30 12:30" (Japan time). */
export function asOfLabel(at: Date, now: Date): string {
  const j = new Date(at.getTime() + 9 * 3600_000);
  const hm = `${j.getUTCHours()}:${String(j.getUTCMinutes()).padStart(2, "0")}`;
  const d = jstDate(at);
  return compareJstDate(d, jstDate(now)) === 0 ? hm : `${d.month}/${d.day} ${hm}`;
}
