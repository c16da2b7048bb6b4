/**
 * A scripted PC/SC library for unit tests, after web-eid-app's libpcsc-mock:
 * the test writes the calls it expects, in order, with their return codes,
 * reader states and APDU answers; the fake answers them and records any call
 * that is out of order, has other arguments, or uses a handle that is not
 * open. `verify()` fails the test on any of these or on steps never called,
 * and `open()` lists contexts and cards never released.
 *
 * Test code: imported only by *.test.ts. The bundles are built from the
 * entry points (bridge/build.mjs), so no production import means it is in no
 * bundle.
 */
import { INFINITE, PCSC_ABI, type PcscAbi, SCARD, SCARD_PROTOCOL_T1 } from "./pcsc-abi.js";
import { type Handle, type PcscApi, PcscCallError, type ReaderStateIn, type ReaderStateOut } from "./pcsc-api.js";

/** Bytes as hex, spaces allowed ("00 A4 04 0C"). */
type Hex = string;

/** What every step may say: answer after `delayMs` (on the test's clock); the same step `times` in a row. */
interface Common {
  delayMs?: number;
  times?: number;
}

/** An APDU answerer (a card model, e.g. @jpki-guard/virtual-card's buildCard). */
export interface CardModel {
  transmit(command: Uint8Array): Uint8Array;
}

export type Step = Common &
  (
    | { call: "establish"; rv?: number }
    | { call: "release"; ctx?: Handle; rv?: number }
    | { call: "cancel"; ctx?: Handle; rv?: number }
    | { call: "listReaders"; ctx?: Handle; readers?: string[]; rv?: number }
    | {
        call: "getStatusChange";
        ctx?: Handle;
        timeoutMs?: number;
        /** The reader states the call must be given, in order. */
        expect?: ReaderStateIn[];
        rv?: number;
        /** Event states per reader; readers not named answer their current state (after a timeout: 0). */
        states?: Record<string, { eventState: number; atr?: Hex }>;
        /** Wait as the library does: E_TIMEOUT after the call's timeout, E_CANCELLED on cancel. */
        wait?: boolean;
      }
    | {
        call: "connect";
        ctx?: Handle;
        reader?: string;
        share?: number;
        protocols?: number;
        rv?: number;
        protocol?: number;
      }
    | {
        call: "reconnect";
        card?: Handle;
        share?: number;
        protocols?: number;
        init?: number;
        rv?: number;
        protocol?: number;
      }
    | { call: "disconnect"; card?: Handle; disposition?: number; rv?: number }
    | { call: "beginTransaction"; card?: Handle; rv?: number }
    | { call: "endTransaction"; card?: Handle; disposition?: number; rv?: number }
    | { call: "transmit"; card?: Handle; protocol?: number; command?: Hex; answer?: Hex; rv?: number }
    /** Every transmit from here until another call is answered by `model`. */
    | { call: "transmit"; model: CardModel }
    | { call: "status"; card?: Handle; rv?: number; state?: number; atr?: Hex }
  );

type Call = Step["call"];
type StepOf<C extends Call> = Extract<Step, { call: C }>;

export interface Recorded {
  call: Call;
  args: unknown[];
  /** Date.now() when the call was made (the fake clock under vi.useFakeTimers). */
  at: number;
}

const bytes = (h: Hex) => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ""), "hex"));
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex").toUpperCase();

export class FakePcsc implements PcscApi {
  readonly calls: Recorded[] = [];
  /** Every APDU sent and its answer (upper-case hex). */
  readonly apdus: { command: string; answer: string }[] = [];
  private readonly steps: Step[];
  private readonly problems: string[] = [];
  private readonly contexts = new Set<Handle>();
  private readonly cards = new Set<Handle>();
  private nextCtx = 1;
  private nextCard = 101;
  private readonly waiting = new Map<Handle, Set<() => void>>();

  constructor(
    script: Step[],
    readonly abi: PcscAbi = PCSC_ABI.linux,
  ) {
    this.steps = script.flatMap((s) => Array.from({ length: s.times ?? 1 }, () => s));
  }

  /** Fail on any unexpected call, and on steps left over. */
  verify(): void {
    const left = this.steps.filter((s) => !("model" in s)).map((s) => s.call);
    if (left.length > 0) this.problems.push(`never called: ${left.join(", ")}`);
    if (this.problems.length > 0) throw new Error(`PC/SC script: ${this.problems.join("; ")}`);
  }

  /** Contexts and cards still open. */
  open(): { contexts: Handle[]; cards: Handle[] } {
    return { contexts: [...this.contexts], cards: [...this.cards] };
  }

  /** The times of the calls named `call`. */
  times(call: Call): number[] {
    return this.calls.filter((c) => c.call === call).map((c) => c.at);
  }

  private fail(message: string): Error {
    this.problems.push(message);
    return new Error(`PC/SC script: ${message}`);
  }

  /** Take the next step, which must be `call` with the expected arguments. */
  private next<C extends Call>(call: C, args: unknown[], expected: Partial<Record<string, unknown>>): StepOf<C> {
    this.calls.push({ call, args, at: Date.now() });
    while (this.steps[0] && "model" in this.steps[0] && call !== "transmit") this.steps.shift();
    const step = this.steps[0];
    const shown = `${call}(${args.map((a) => (a instanceof Uint8Array ? hex(a) : JSON.stringify(a))).join(", ")})`;
    if (!step || step.call !== call) throw this.fail(`unexpected ${shown}; expected ${step?.call ?? "nothing"}`);
    if (!("model" in step)) this.steps.shift();
    for (const [key, actual] of Object.entries(expected)) {
      const want = (step as unknown as Record<string, unknown>)[key];
      if (want === undefined) continue;
      const same = JSON.stringify(want) === JSON.stringify(actual);
      if (!same) throw this.fail(`${shown}: ${key} is ${JSON.stringify(actual)}, expected ${JSON.stringify(want)}`);
    }
    return step as StepOf<C>;
  }

  private live(kind: "context" | "card", h: Handle, shown: string): void {
    if (!(kind === "context" ? this.contexts : this.cards).has(h)) throw this.fail(`${shown} on a ${kind} not open`);
  }

  private later<T>(step: Common, value: () => T): Promise<T> {
    if (!step.delayMs) return Promise.resolve().then(value);
    return new Promise((r) => setTimeout(() => r(value()), step.delayMs));
  }

  async establish(): Promise<Handle> {
    const s = this.next("establish", [], {});
    return this.later(s, () => {
      if ((s.rv ?? 0) !== SCARD.S_SUCCESS) throw new PcscCallError("SCardEstablishContext", s.rv!);
      const ctx = this.nextCtx++;
      this.contexts.add(ctx);
      return ctx;
    });
  }

  async release(ctx: Handle): Promise<number> {
    const s = this.next("release", [ctx], { ctx });
    this.live("context", ctx, "release");
    this.contexts.delete(ctx);
    return this.later(s, () => s.rv ?? 0);
  }

  cancel(ctx: Handle): number {
    const s = this.next("cancel", [ctx], { ctx });
    for (const wake of this.waiting.get(ctx) ?? []) wake();
    return s.rv ?? 0;
  }

  async listReaders(ctx: Handle): Promise<string[]> {
    const s = this.next("listReaders", [ctx], { ctx });
    this.live("context", ctx, "listReaders");
    return this.later(s, () => {
      if ((s.rv ?? 0) !== SCARD.S_SUCCESS) throw new PcscCallError("SCardListReaders", s.rv!);
      return s.readers ?? [];
    });
  }

  async getStatusChange(
    ctx: Handle,
    timeoutMs: number,
    states: ReaderStateIn[],
  ): Promise<{ rv: number; states: ReaderStateOut[] }> {
    const s = this.next("getStatusChange", [ctx, timeoutMs, states], { ctx, timeoutMs, expect: states });
    this.live("context", ctx, "getStatusChange");
    // A timeout answers the step's states if it names them (pcsc-lite fills them then too), else
    // none (0: a library that leaves them empty).
    const out = (rv: number) => ({
      rv,
      states: states.map((i) => {
        const o = rv === SCARD.S_SUCCESS || rv === SCARD.E_TIMEOUT ? s.states?.[i.reader] : undefined;
        const none = rv === SCARD.E_TIMEOUT ? 0 : i.currentState;
        return { reader: i.reader, eventState: o?.eventState ?? none, atr: bytes(o?.atr ?? "") };
      }),
    });
    if (!s.wait) return this.later(s, () => out(s.rv ?? 0));
    return new Promise((resolve) => {
      const waits = this.waiting.get(ctx) ?? new Set();
      this.waiting.set(ctx, waits);
      const done = (rv: number) => {
        clearTimeout(timer);
        waits.delete(wake);
        resolve(out(rv));
      };
      const wake = () => done(SCARD.E_CANCELLED);
      const timer = timeoutMs === INFINITE ? undefined : setTimeout(() => done(SCARD.E_TIMEOUT), timeoutMs);
      waits.add(wake);
    });
  }

  async connect(ctx: Handle, reader: string, share: number, protocols: number) {
    const s = this.next("connect", [ctx, reader, share, protocols], { ctx, reader, share, protocols });
    this.live("context", ctx, "connect");
    return this.later(s, () => {
      if ((s.rv ?? 0) !== SCARD.S_SUCCESS) throw new PcscCallError("SCardConnect", s.rv!);
      const card = this.nextCard++;
      this.cards.add(card);
      return { card, protocol: s.protocol ?? SCARD_PROTOCOL_T1 };
    });
  }

  async disconnect(card: Handle, disposition: number): Promise<number> {
    const s = this.next("disconnect", [card, disposition], { card, disposition });
    this.live("card", card, "disconnect");
    this.cards.delete(card);
    return this.later(s, () => s.rv ?? 0);
  }

  async reconnect(card: Handle, share: number, protocols: number, init: number) {
    const s = this.next("reconnect", [card, share, protocols, init], { card, share, protocols, init });
    this.live("card", card, "reconnect");
    return this.later(s, () => ({ rv: s.rv ?? 0, protocol: s.protocol ?? SCARD_PROTOCOL_T1 }));
  }

  async beginTransaction(card: Handle): Promise<number> {
    const s = this.next("beginTransaction", [card], { card });
    this.live("card", card, "beginTransaction");
    return this.later(s, () => s.rv ?? 0);
  }

  async endTransaction(card: Handle, disposition: number): Promise<number> {
    const s = this.next("endTransaction", [card, disposition], { card, disposition });
    this.live("card", card, "endTransaction");
    return this.later(s, () => s.rv ?? 0);
  }

  async transmit(card: Handle, protocol: number, command: Uint8Array, _maxResponse: number) {
    const s = this.next("transmit", [card, protocol, command], {});
    this.live("card", card, "transmit");
    if ("model" in s) {
      const data = s.model.transmit(command);
      this.apdus.push({ command: hex(command), answer: hex(data) });
      return { rv: SCARD.S_SUCCESS, data };
    }
    const shown = `transmit(${hex(command)})`;
    if (s.card !== undefined && s.card !== card) throw this.fail(`${shown}: card ${card}, expected ${s.card}`);
    if (s.protocol !== undefined && s.protocol !== protocol)
      throw this.fail(`${shown}: protocol ${protocol}, expected ${s.protocol}`);
    if (s.command !== undefined && hex(bytes(s.command)) !== hex(command))
      throw this.fail(`${shown}: expected ${hex(bytes(s.command))}`);
    return this.later(s, () => {
      const data = bytes(s.answer ?? "");
      this.apdus.push({ command: hex(command), answer: hex(data) });
      return { rv: s.rv ?? 0, data };
    });
  }

  async status(card: Handle) {
    const s = this.next("status", [card], { card });
    this.live("card", card, "status");
    return this.later(s, () => ({
      rv: s.rv ?? 0,
      state: s.state ?? 0x34,
      protocol: SCARD_PROTOCOL_T1,
      atr: bytes(s.atr ?? ""),
    }));
  }
}
