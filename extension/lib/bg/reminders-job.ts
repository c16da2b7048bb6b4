/**
 * Expiry reminders in the background: keeps each certificate's reminder due
 * dates (never the expiry date) and shows the ones that are due, once each.
 * Storage, notifications and the clock are passed in.
 */
import type { Status } from "@jpki-guard/shared";
import { dueReminders, type Schedule, scheduleFor, validSchedule } from "../reminders";
import { type Lang, text } from "../ui-text";

export type Schedules = { auth: Schedule | null; sign: Schedule | null };

export interface ReminderDeps {
  get(keys: string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  notify(id: string, n: { title: string; message: string }): Promise<void>;
  now(): Date;
}

export class RemindersJob {
  constructor(private readonly d: ReminderDeps) {}

  /** Keep the due dates of a new status's certificates (a certificate not read this time keeps its old dates). */
  async remember(s: Status): Promise<void> {
    const stored = (await this.d.get(["reminders"])).reminders as Partial<Schedules> | undefined;
    const keep = (x: unknown) => (validSchedule(x) ? x : null);
    const merged: Schedules = {
      auth: scheduleFor(s.facts.authCertificate) ?? keep(stored?.auth),
      sign: scheduleFor(s.facts.signatureCertificate) ?? keep(stored?.sign),
    };
    await this.d.set({ reminders: merged });
  }

  /** Show what is due now (when reminders are on); returns the keys shown. */
  async run(o: { enabled: boolean; lang: Lang }): Promise<string[]> {
    if (!o.enabled) return [];
    const { reminders, shown } = (await this.d.get(["reminders", "shown"])) as {
      reminders?: Schedules;
      shown?: unknown;
    };
    if (!reminders) return [];
    const before = Array.isArray(shown) ? shown.filter((x): x is string => typeof x === "string") : [];
    const t = text(o.lang);
    const due = dueReminders(reminders, before, this.d.now());
    for (const r of due)
      await this.d.notify(r.key, {
        title: `${t.notifyTitle}: ${r.which === "auth" ? t.authCert : t.signCert}`,
        message: r.kind === "window" ? t.notifyWindow : t.notifyDays(Number(r.kind)),
      });
    if (due.length) await this.d.set({ shown: [...before, ...due.map((x) => x.key)].slice(-50) });
    return due.map((x) => x.key);
  }
}
