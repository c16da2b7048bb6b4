/**
 * The project's own small interface over PC/SC. Only transport/pcsc-ffi.ts
 * calls the OS's PC/SC library; unit tests plug an in-memory card
 * (memory.ts) or a scripted PC/SC library (pcsc-fake.ts) instead.
 */
export interface ReaderInfo {
  name: string;
  cardPresent: boolean;
  /** ATR as the reader reports it (upper-case hex), when a card is present. */
  atr: string | null;
  /**
   * Changes whenever a card is inserted or removed (pcsc-lite keeps such a
   * counter in the reader state); null when the platform does not say.
   */
  eventCount: number | null;
}

/**
 * One operation on a card: the card is shared with other programs, and for
 * the life of this object we hold a PC/SC transaction, so no other program
 * interleaves commands. `close` ends the transaction and leaves the card as
 * it is (never reset, never powered down).
 */
export interface CardConnection {
  readonly atr: Uint8Array;
  /** Send one APDU; resolves with the raw response (data + SW1 SW2). */
  transmit(command: Uint8Array): Promise<Uint8Array>;
  /**
   * The reader's card-event counter now, with the card held (see
   * ReaderInfo.eventCount): a swap before the hold has already moved it.
   * null when the platform does not say.
   */
  eventCount(): Promise<number | null>;
  /**
   * End the operation. `reset: true` is only for the one case where our own
   * PIN verification could not be undone by other means (see docs/decisions.md).
   */
  close(options?: { reset?: boolean }): Promise<void>;
}

export type ReaderEvent =
  | { type: "reader-added"; reader: string }
  | { type: "reader-removed"; reader: string }
  | { type: "card-inserted"; reader: string; atr: string | null }
  | { type: "card-removed"; reader: string }
  /** Another program connected to or released the card (its PIN counters may have changed). */
  | { type: "card-used"; reader: string }
  /** The PC/SC service went away (pcscd stopped, Windows' service stopped with the last reader). */
  | { type: "service-stopped" }
  /** The PC/SC service answers again after having gone away. */
  | { type: "service-started" };

export interface Transport {
  listReaders(): Promise<ReaderInfo[]>;
  /** Begin one operation on the card in `reader` (shared connection + transaction). */
  connect(reader: string): Promise<CardConnection>;
  /** Reader, card and service events; returns an unsubscribe function. */
  watch(listener: (e: ReaderEvent) => void): () => void;
  /**
   * Whether watching also looks at the readers' "in use" flags (another
   * program's PIN try; a poll) or only waits for card and reader events
   * (blocking). Default on. Transports without such a flag ignore it.
   */
  watchInUse?(on: boolean): void;
  close(): Promise<void>;
}
