/** The parsed command line every command gets: checked once, in one place. */
import { type Action, jstDate, jstMidnight } from "@jpki-guard/shared/rules";
import { UsageError } from "./usage.js";

export type Out = { stdout: (s: string) => void; stderr: (s: string) => void };

export interface Options {
  json: boolean;
  reader?: string;
  /** Development builds only: a virtual card profile. */
  virtual?: string;
  on: Date;
  action: Action;
  /** undefined: the default municipality's guidance. */
  municipality?: string;
  trace: boolean;
  langs: ("ja" | "en")[];
  report?: string;
  showPersonalData: boolean;
  browsers?: string[];
  extensionIds?: string[];
  firefoxIds?: string[];
  system: boolean;
  chromiumUserDataDir?: string;
}

export function parseOnDate(s: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const dt = jstMidnight({ year: y, month: mo, day: d });
    const back = jstDate(dt);
    if (back.year !== y || back.month !== mo || back.day !== d) throw new UsageError(`--on ${s}: no such date`);
    return dt;
  }
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(s)) {
    const d = new Date(s);
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw new UsageError(`--on ${s}: use YYYY-MM-DD (Japan time) or an ISO 8601 instant with a zone`);
}
