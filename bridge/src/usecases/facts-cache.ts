/**
 * Certificate facts per reader, kept while the reader's card-event counter
 * stays the same: a repeated check of the same card re-reads only the PIN
 * counters. The native host keeps one; the CLI does not.
 */
import type { CardFacts } from "@jpki-guard/shared/rules";
import type { CardCapabilities } from "../jpki/jpki.js";
import type { ReaderInfo } from "../transport/types.js";

export interface CachedCard {
  eventCount: number;
  atr: string | null;
  card: NonNullable<CardFacts["card"]>;
  presence: CardFacts["presence"];
  authCertificate: CardFacts["authCertificate"];
  notChecked: CardFacts["notChecked"];
  /** What this card showed about the short-EF forms (kept until the card changes). */
  caps: CardCapabilities;
}

/** Per-reader certificate facts, valid while the reader's card-event counter stays the same. */
export class FactsCache {
  private m = new Map<string, CachedCard>();
  get(reader: ReaderInfo): CachedCard | undefined {
    const c = this.m.get(reader.name);
    if (!c || reader.eventCount === null || c.eventCount !== reader.eventCount || c.atr !== reader.atr)
      return undefined;
    return c;
  }
  set(reader: ReaderInfo, facts: CardFacts, caps: CardCapabilities): void {
    if (reader.eventCount === null || !facts.card) return;
    this.m.set(
      reader.name,
      structuredClone({
        eventCount: reader.eventCount,
        atr: reader.atr,
        card: facts.card,
        presence: facts.presence,
        authCertificate: facts.authCertificate,
        notChecked: facts.notChecked,
        caps,
      }),
    );
  }
  drop(reader: string): void {
    this.m.delete(reader);
  }
  clear(): void {
    this.m.clear();
  }
}
