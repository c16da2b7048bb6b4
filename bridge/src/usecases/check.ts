/**
 * The "check" use case: one reader, one card -> card facts. Shared by the CLI
 * and the native host; neither talks APDUs itself. Spends no PIN try.
 */
import { emptyFacts, JpkiGuardError } from "@jpki-guard/shared/rules";
import { ApduChannel, type TraceLine } from "../apdu/apdu.js";
import { freshCapabilities, JpkiCard } from "../jpki/jpki.js";
import type { ReaderInfo } from "../transport/types.js";
import {
  type CheckOptions,
  type CheckResult,
  chooseReader,
  markRevocationNotChecked,
  problem,
  readFacts,
  readPinsOnly,
  withConnection,
} from "./card.js";

export type { CheckOptions, CheckResult } from "./card.js";

export async function checkCard(options: CheckOptions): Promise<CheckResult> {
  const started = performance.now();
  const now = options.now ?? new Date();
  const facts = emptyFacts(now);
  let trace: TraceLine[] | null = null;
  const finish = (): CheckResult => {
    facts.durationMs = Math.round((performance.now() - started) * 10) / 10;
    markRevocationNotChecked(facts);
    return { facts, trace };
  };

  let reader: ReaderInfo;
  try {
    reader = await chooseReader(options.transport, options.reader);
  } catch (e) {
    problem(facts, e);
    facts.notChecked.push({ what: "card", why: "no-card" });
    return finish();
  }
  facts.reader = { name: reader.name, virtual: options.virtual ?? false };
  if (!reader.cardPresent) {
    problem(facts, new JpkiGuardError("no-card", `no card is in the reader "${reader.name}"`));
    facts.notChecked.push({ what: "card", why: "no-card" });
    return finish();
  }

  try {
    await withConnection(options.transport, reader.name, async (conn) => {
      const ch = new ApduChannel(conn, { trace: options.trace });
      trace = ch.trace;
      // With the card held: the reader's card-event counter read now cannot be
      // overtaken by a swap (one reader's state; the readers were listed once, above).
      const now = options.cache ? { ...reader, eventCount: await conn.eventCount() } : undefined;
      const cached = now ? options.cache?.get(now) : undefined;
      const caps = cached ? { ...cached.caps } : freshCapabilities();
      const card = new JpkiCard(ch, caps);
      try {
        if (cached) await readPinsOnly(card, facts, cached);
        else await readFacts(card, facts, conn.atr, options.extraAnchors ?? []);
        if (now && options.cache && facts.problems.length === 0) options.cache.set(now, facts, caps);
      } finally {
        facts.apduCount = ch.count;
      }
    });
  } catch (e) {
    problem(facts, e);
    // Nothing half-read survives a failure: a removed card gives "card removed", not a corrupt certificate.
    facts.authCertificate = null;
  }
  if (options.cache && facts.problems.length > 0) options.cache.drop(reader.name);
  return finish();
}
