/**
 * The seam between the transport and the OS's PC/SC library: the calls the
 * transport makes, with return codes as unsigned numbers. pcsc-ffi.ts
 * implements it over the real library (koffi); unit tests plug the scripted
 * fake of pcsc-fake.ts. Nothing here loads koffi.
 */
import type { PcscAbi } from "./pcsc-abi.js";

export type Handle = number | bigint;

export interface ReaderStateIn {
  reader: string;
  currentState: number;
}
export interface ReaderStateOut {
  reader: string;
  eventState: number;
  atr: Uint8Array;
}

/** A PC/SC call failed with return code `rv` (normalised to an unsigned 32-bit number). */
export class PcscCallError extends Error {
  constructor(
    readonly call: string,
    readonly rv: number,
  ) {
    super(`${call} failed: 0x${rv.toString(16).padStart(8, "0")}`);
    this.name = "PcscCallError";
  }
}

export class PcscLibraryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PcscLibraryError";
  }
}

/**
 * The PC/SC calls the transport makes. `establish`, `connect` and
 * `listReaders` throw PcscCallError on failure (`listReaders` answers [] for
 * SCARD_E_NO_READERS_AVAILABLE); the others return their code.
 */
export interface PcscApi {
  readonly abi: PcscAbi;
  /** SCardEstablishContext(SCARD_SCOPE_SYSTEM). */
  establish(): Promise<Handle>;
  release(ctx: Handle): Promise<number>;
  /** Synchronous: it must interrupt a waiting SCardGetStatusChange. */
  cancel(ctx: Handle): number;
  listReaders(ctx: Handle): Promise<string[]>;
  getStatusChange(
    ctx: Handle,
    timeoutMs: number,
    states: ReaderStateIn[],
  ): Promise<{ rv: number; states: ReaderStateOut[] }>;
  connect(ctx: Handle, reader: string, share: number, protocols: number): Promise<{ card: Handle; protocol: number }>;
  disconnect(card: Handle, disposition: number): Promise<number>;
  reconnect(card: Handle, share: number, protocols: number, init: number): Promise<{ rv: number; protocol: number }>;
  beginTransaction(card: Handle): Promise<number>;
  endTransaction(card: Handle, disposition: number): Promise<number>;
  transmit(
    card: Handle,
    protocol: number,
    command: Uint8Array,
    maxResponse: number,
  ): Promise<{ rv: number; data: Uint8Array }>;
  status(card: Handle): Promise<{ rv: number; state: number; protocol: number; atr: Uint8Array }>;
}
