import { homedir } from "node:os";
import {
  type CardFacts,
  errorRow,
  isJpkiGuardError,
  judgeFacts,
  type MessageFromHost,
  parseRequest,
  type Request,
  type Status,
  serializeError,
} from "@jpki-guard/shared";
import { forLog } from "../log.js";
import type { ReaderEvent, Transport } from "../transport/types.js";
import { checkCard } from "../usecases/check.js";
import { FactsCache } from "../usecases/facts-cache.js";
import { COMMAND_HANDLERS, type CommandContext, type StatusParams } from "./commands/index.js";

export interface SessionOptions {
  send: (m: MessageFromHost) => void;
  transport: () => Transport;
  now?: () => Date;
  /** Called with true when too many requests are pending (stop reading), false when drained. */
  backpressure?: (paused: boolean) => void;
  maxPending?: number;
  /**
   * Before pushing a new status: after a card or reader event (inserted,
   * removed, service) `watchDelayMs` (default 30 ms: events of one change
   * arrive together), after another program let go of the card
   * `usedDelayMs` (default 250 ms: the official software often works in
   * several connections; it is left to finish). Each new event starts the
   * wait again.
   */
  watchDelayMs?: number;
  usedDelayMs?: number;
  onQuit?: () => void;
}

export class HostSession {
  private replyChain: Promise<void> = Promise.resolve();
  private pending = 0;
  private paused = false;
  private transportInstance: Transport | null = null;
  readonly cache = new FactsCache();
  private watching = false;
  private watchParams: StatusParams = {};
  private watchTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Change tracking: transport events since the session's first request. */
  private untrack: (() => void) | null = null;
  /** The last card read, reused until something changes. */
  private last: { reader: string | undefined; facts: CardFacts } | null = null;
  /** Counts what makes a read stale (card events, forgetLastRead): a read that saw it change under it is not kept. */
  private changes = 0;
  /** Card reads done so far (the tests count them: a reused status reads nothing). */
  cardReads = 0;

  constructor(private readonly o: SessionOptions) {}

  private get transport(): Transport {
    if (!this.transportInstance) this.transportInstance = this.o.transport();
    return this.transportInstance;
  }

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  /** A decoded frame (or a framing error) arrives. */
  receive(
    ev:
      | { kind: "message"; value: unknown }
      | { kind: "error"; code: "too-large" | "bad-request"; message: string }
      | { kind: "violation"; message: string },
  ): void {
    if (this.closed) return;
    if (ev.kind === "violation") return; // the host process ends the session
    if (ev.kind === "error") {
      this.enqueue(Promise.resolve({ type: "error", id: null, error: { code: ev.code, message: ev.message } }));
      return;
    }
    const parsed = parseRequest(ev.value);
    if (!parsed.ok) {
      this.enqueue(Promise.resolve({ type: "error", id: parsed.id, error: parsed.error }));
      return;
    }
    this.enqueue(this.handle(parsed.request));
  }

  /** Replies go out in the order the requests came in, whatever finishes first. */
  private enqueue(p: Promise<MessageFromHost | null>): void {
    this.pending++;
    this.updateBackpressure();
    const settled = p.catch((e) => this.errorReply(null, e));
    this.replyChain = this.replyChain
      .then(() => settled)
      .then((m) => {
        if (m && !this.closed) this.o.send(m);
      })
      .finally(() => {
        this.pending--;
        this.updateBackpressure();
      });
  }

  private updateBackpressure(): void {
    const max = this.o.maxPending ?? 16;
    if (!this.paused && this.pending >= max) {
      this.paused = true;
      this.o.backpressure?.(true);
    } else if (this.paused && this.pending < max / 2) {
      this.paused = false;
      this.o.backpressure?.(false);
    }
  }

  /** Resolves when every reply so far has been sent. */
  drain(): Promise<void> {
    return this.replyChain;
  }

  private errorReply(id: string | null, e: unknown): MessageFromHost {
    // Raw exception text (paths, user names) never goes to the extension: only to stderr.
    if (!isJpkiGuardError(e)) process.stderr.write(`jpki-guard host: unexpected: ${forLog(e)}\n`);
    return { type: "error", id, error: serializeError(e) };
  }

  /**
   * What a command may use of this session (commands/context.ts). The
   * municipality a request names (a local government code, or an older id);
   * none, or one this host's data does not know: national guidance. The
   * extension's setting is the one way to choose: the host has no default.
   */
  private readonly ctx: CommandContext = this.context();

  private context(): CommandContext {
    const session = this;
    return {
      get transport() {
        return session.transport;
      },
      now: () => this.now(),
      status: (p) => this.status(p),
      judge: (facts, action, p) => ({
        facts,
        verdict: judgeFacts(facts, { on: this.now(), action, municipality: p.municipality ?? null }),
      }),
      startWatching: ({ inUse, ...p }) => {
        this.watchParams = p;
        this.watching = true;
        // The in-use poll (another program's PIN try) only when the extension says it can matter.
        this.transport.watchInUse?.(inUse ?? true);
      },
      installation: async () =>
        (await import("../install/checks.js")).installChecks({
          platform: process.platform,
          home: homedir(),
          env: process.env,
          script: process.argv[1] ?? "",
        }),
      stopWatching: () => this.stopWatching(),
      forgetLastRead: () => {
        this.last = null;
        this.changes++;
      },
      quit: () => this.o.onQuit?.(),
    };
  }

  private async status(p: StatusParams): Promise<Status> {
    this.track();
    const last = this.last;
    if (!p.fresh && last && last.reader === p.reader)
      return this.ctx.judge(structuredClone(last.facts), p.action ?? "login", p);
    this.cardReads++;
    const before = this.changes;
    const { facts } = await checkCard({ transport: this.transport, reader: p.reader, cache: this.cache });
    // A problem that reached no card (no service, reader or card): asking again costs nothing, so it is not kept.
    // Nor is a read during which the card changed (pulled out mid-read): the next status reads again.
    const keep = facts.problems.every((x) => errorRow(x.code).touchesCard) && this.changes === before;
    this.last = keep ? { reader: p.reader, facts: structuredClone(facts) } : null;
    return this.ctx.judge(facts, p.action ?? "login", p);
  }

  /**
   * From the first request on, listen to the transport's events (no card
   * access) so that a cached status is dropped the moment it may be stale.
   */
  private track(): void {
    if (this.untrack || this.closed) return;
    this.untrack = this.transport.watch((e) => this.onCardEvent(e));
  }

  /** One command, by its own file (commands/), answered in its own reply or as an error. */
  private async handle(r: Request): Promise<MessageFromHost | null> {
    try {
      // The request was validated against the same table: its params are the ones its handler takes.
      const run = COMMAND_HANDLERS[r.command] as (ctx: CommandContext, params: unknown) => Promise<unknown>;
      const result = await run(this.ctx, "params" in r ? r.params : undefined);
      return { type: "reply", id: r.id, command: r.command, result } as MessageFromHost;
    } catch (e) {
      return this.errorReply(r.id, e);
    }
  }

  private onCardEvent(e: ReaderEvent): void {
    this.last = null;
    this.changes++;
    if (e.type === "card-removed" || e.type === "reader-removed" || e.type === "card-inserted")
      this.cache.drop(e.reader);
    // A new service starts its event counters again: nothing cached can be trusted.
    if (e.type === "service-stopped" || e.type === "service-started") this.cache.clear();
    if (!this.watching) return;
    if (this.watchTimer) clearTimeout(this.watchTimer);
    this.watchTimer = setTimeout(
      () => {
        this.watchTimer = null;
        void this.pushStatus();
      },
      e.type === "card-used" ? (this.o.usedDelayMs ?? 250) : (this.o.watchDelayMs ?? 30),
    );
  }

  private async pushStatus(): Promise<void> {
    if (!this.watching || this.closed) return;
    // Goes through the ordered reply chain so it never overtakes a reply.
    this.enqueue(
      this.status(this.watchParams).then(
        (status): MessageFromHost => ({ type: "event", event: "status", status }),
        () => null,
      ),
    );
  }

  private stopWatching(): void {
    this.watching = false;
    if (this.watchTimer) clearTimeout(this.watchTimer);
    this.watchTimer = null;
  }

  async close(): Promise<void> {
    this.stopWatching();
    this.untrack?.();
    this.untrack = null;
    await this.drain().catch(() => undefined);
    this.closed = true;
    await this.transportInstance?.close();
    this.transportInstance = null;
  }
}
