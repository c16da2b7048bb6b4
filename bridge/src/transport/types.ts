/**
 * The project's own small interface over PC/SC. Only transport/pcsc.ts
 * imports `smartcard`; tests plug an in-memory card instead.
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

export interface CardConnection {
  readonly atr: Uint8Array;
  /** Send one APDU; resolves with the raw response (data + SW1 SW2). */
  transmit(command: Uint8Array): Promise<Uint8Array>;
  /** Release the card, powered down: no verified PIN state outlives our operation. */
  close(): Promise<void>;
}

export type ReaderEvent =
  | { type: "reader-added"; reader: string }
  | { type: "reader-removed"; reader: string }
  | { type: "card-inserted"; reader: string; atr: string | null }
  | { type: "card-removed"; reader: string };

export interface Transport {
  listReaders(): Promise<ReaderInfo[]>;
  /** Connect exclusively: no other program can interleave commands until close. */
  connect(reader: string): Promise<CardConnection>;
  /** Reader and card events; returns an unsubscribe function. */
  watch(listener: (e: ReaderEvent) => void): () => void;
  close(): Promise<void>;
}
