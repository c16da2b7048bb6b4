/** An in-memory transport over a card model, for unit tests (integration tests use pcscd). */
import { JpkiGuardError } from "@jpki-guard/shared/rules";
import type { CardConnection, ReaderEvent, ReaderInfo, Transport } from "./types.js";

export interface MemoryCard {
  readonly atr: Uint8Array;
  transmit(command: Uint8Array): Uint8Array;
  reset(): void;
}

export class MemoryTransport implements Transport {
  private cards = new Map<string, MemoryCard | null>();
  private watchers = new Set<(e: ReaderEvent) => void>();
  private held = new Set<string>();
  private events = new Map<string, number>();
  /** How many operations ended with a reset (only after an unconfirmed logout). */
  resets = 0;

  constructor(readers: Record<string, MemoryCard | null>) {
    for (const [name, card] of Object.entries(readers)) this.cards.set(name, card);
  }

  private down = false;

  async listReaders(): Promise<ReaderInfo[]> {
    if (this.down) throw new JpkiGuardError("pcsc-unavailable", "the PC/SC service is not running");
    return [...this.cards].map(([name, card]) => ({
      name,
      cardPresent: card !== null,
      atr: card ? Buffer.from(card.atr).toString("hex").toUpperCase() : null,
      eventCount: this.events.get(name) ?? 0,
    }));
  }

  insert(reader: string, card: MemoryCard | null): void {
    this.cards.set(reader, card);
    this.events.set(reader, (this.events.get(reader) ?? 0) + 1);
    for (const w of this.watchers)
      w(
        card
          ? { type: "card-inserted", reader, atr: Buffer.from(card.atr).toString("hex").toUpperCase() }
          : { type: "card-removed", reader },
      );
  }

  /** Another program used the card (and let it go). */
  used(reader: string): void {
    for (const w of this.watchers) w({ type: "card-used", reader });
  }

  /** The PC/SC service is back (true) or stops (false). */
  service(running: boolean): void {
    this.down = !running;
    for (const w of this.watchers) w({ type: running ? "service-started" : "service-stopped" });
  }

  async connect(reader: string): Promise<CardConnection> {
    if (this.down) throw new JpkiGuardError("pcsc-unavailable", "the PC/SC service is not running");
    if (!this.cards.has(reader))
      throw new JpkiGuardError("reader-not-found", `the reader "${reader}" is not connected`);
    const card = this.cards.get(reader);
    if (!card) throw new JpkiGuardError("no-card", `no card is in the reader "${reader}"`);
    if (this.held.has(reader)) throw new JpkiGuardError("card-busy", "the card is in use by another program");
    this.held.add(reader);
    const transport = this;
    let open = true;
    return {
      atr: card.atr,
      async eventCount() {
        return transport.events.get(reader) ?? 0;
      },
      async transmit(command: Uint8Array) {
        if (!open) throw new JpkiGuardError("internal", "transmit after close");
        if (transport.cards.get(reader) !== card)
          throw new JpkiGuardError("card-removed", "the card was removed during the operation");
        try {
          return card.transmit(command);
        } catch {
          transport.cards.set(reader, null);
          transport.events.set(reader, (transport.events.get(reader) ?? 0) + 1);
          throw new JpkiGuardError("card-removed", "the card was removed during the operation");
        }
      },
      async close(options?: { reset?: boolean }) {
        open = false;
        if (options?.reset) transport.resets++;
        transport.held.delete(reader);
      },
    };
  }

  watch(listener: (e: ReaderEvent) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  async close(): Promise<void> {
    this.watchers.clear();
  }
}
