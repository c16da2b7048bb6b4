/**
 * One native-messaging session: dispatches validated requests, keeps replies
 * in request order, pushes live status while watched, and keeps certificate
 * facts until the card changes. Card access goes through the reader queues
 * of the check use case, so requests never interleave APDUs.
 *
 * When the card is read (the rule in README "When jpki-guard touches the
 * card"): the last status is reused for every request — page loads, several
 * portal tabs, a different action — until something changed: a card or
 * reader event, the PC/SC service going or coming back, another program
 * having used the card (its PIN tries may have changed the counters), or the
 * user asking ("fresh"). The certificate facts stay cached until the card
 * itself changes.
 */

import { homedir } from "node:os";
import {
  type Action,
  type CardFacts,
  doctorText,
  type ErrorBody,
  isJpkiGuardError,
  judgeFacts,
  type MessageFromHost,
  parseRequest,
  type Request,
  type Status,
} from "@jpki-guard/shared";
import { forLog } from "../log.js";
import type { ReaderEvent, Transport } from "../transport/types.js";
import { checkCard } from "../usecases/check.js";
import { runDoctor } from "../usecases/doctor.js";
import { FactsCache } from "../usecases/facts-cache.js";
import { readSignatureCertificate } from "../usecases/read-signature.js";

export interface SessionOptions {
  send: (m: MessageFromHost) => void;
  transport: () => Transport;
  now?: () => Date;
  /** Called with true when too many requests are pending (stop reading), false when drained. */
  backpressure?: (paused: boolean) => void;
  maxPending?: number;
  /** Debounce for card events before pushing a new status. */
  watchDelayMs?: number;
  onQuit?: () => void;
}

type Params = { action?: Action; municipality?: string; reader?: string; fresh?: boolean };

/** Problems that involve no card access: asking again costs nothing, so they are not kept. */
const NO_CARD_TOUCHED = new Set(["no-card", "no-reader", "reader-not-found", "pcsc-unavailable"]);

export class HostSession {
  private replyChain: Promise<void> = Promise.resolve();
  private pending = 0;
  private paused = false;
  private transportInstance: Transport | null = null;
  readonly cache = new FactsCache();
  private watching = false;
  private watchParams: Params = {};
  private watchTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Change tracking: transport events since the session's first request. */
  private untrack: (() => void) | null = null;
  /** The last card read, reused until something changes. */
  private last: { reader: string | undefined; facts: CardFacts } | null = null;
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
    const error: ErrorBody = isJpkiGuardError(e)
      ? {
          code: e.code,
          message: e.message,
          ...(typeof e.detail?.triesLeft === "number" ? { triesLeft: e.detail.triesLeft } : {}),
        }
      : { code: "internal", message: "unexpected error in the card bridge (details on its error output)" };
    // Raw exception text (paths, user names) never goes to the extension: only to stderr.
    if (!isJpkiGuardError(e)) process.stderr.write(`jpki-guard host: unexpected: ${forLog(e)}\n`);
    return { type: "error", id, error };
  }

  /**
   * The municipality a request names (a local government code, or an older
   * id); none, or one this host's data does not know: national guidance.
   * The extension's setting is the one way to choose: the host has no default.
   */
  private municipalityId(p: { municipality?: string }): string | null {
    return p.municipality ?? null;
  }

  private judge(facts: CardFacts, action: Action, p: { municipality?: string }): Status {
    return { facts, verdict: judgeFacts(facts, { on: this.now(), action, municipality: this.municipalityId(p) }) };
  }

  private async status(p: Params): Promise<Status> {
    this.track();
    const last = this.last;
    if (!p.fresh && last && last.reader === p.reader)
      return this.judge(structuredClone(last.facts), p.action ?? "login", p);
    this.cardReads++;
    const { facts } = await checkCard({ transport: this.transport, reader: p.reader, cache: this.cache });
    const keep = !facts.problems.some((x) => NO_CARD_TOUCHED.has(x.code));
    this.last = keep ? { reader: p.reader, facts: structuredClone(facts) } : null;
    return this.judge(facts, p.action ?? "login", p);
  }

  /**
   * From the first request on, listen to the transport's events (no card
   * access) so that a cached status is dropped the moment it may be stale.
   */
  private track(): void {
    if (this.untrack || this.closed) return;
    this.untrack = this.transport.watch((e) => this.onCardEvent(e));
  }

  private async handle(r: Request): Promise<MessageFromHost | null> {
    try {
      switch (r.command) {
        case "status":
          return { type: "reply", id: r.id, command: r.command, result: await this.status(r.params ?? {}) };
        case "watch": {
          this.watchParams = r.params ?? {};
          this.watching = true;
          return { type: "reply", id: r.id, command: r.command, result: await this.status(this.watchParams) };
        }
        case "unwatch":
          this.stopWatching();
          return { type: "reply", id: r.id, command: r.command, result: { watching: false } };
        case "diagnose": {
          const p = r.params ?? {};
          const { installChecks } = await import("../install/checks.js");
          const report = await runDoctor({
            transport: this.transport,
            reader: p.reader,
            virtual: false,
            anchors: [],
            judge: {
              on: this.now(),
              action: p.action ?? "login",
              municipality: this.municipalityId(p),
            },
            trace: false,
            installation: await installChecks({
              platform: process.platform,
              home: homedir(),
              env: process.env,
              script: process.argv[1] ?? "",
            }),
          });
          return {
            type: "reply",
            id: r.id,
            command: r.command,
            result: {
              // The doctor's checklist as plain text, for pasting into a help-desk message.
              text: doctorText(report),
              items: report.items,
              facts: report.facts,
              verdict: {
                level: report.verdict.level,
                readiness: report.verdict.readiness,
                findings: report.verdict.findings,
              },
            },
          };
        }
        case "readSignatureCertificate": {
          const p = r.params;
          // Personal data never leaves the host: only facts and the verdict.
          this.last = null; // the user acted: the next status reads the card again
          const res = await readSignatureCertificate({ transport: this.transport, reader: p.reader, pin: p.pin });
          return { type: "reply", id: r.id, command: r.command, result: this.judge(res.facts, "sign", p) };
        }
        case "quit":
          this.o.onQuit?.();
          return { type: "reply", id: r.id, command: r.command, result: { bye: true } };
      }
    } catch (e) {
      return this.errorReply(r.id, e);
    }
  }

  private onCardEvent(e: ReaderEvent): void {
    this.last = null;
    if (e.type === "card-removed" || e.type === "reader-removed" || e.type === "card-inserted")
      this.cache.drop(e.reader);
    // A new service starts its event counters again: nothing cached can be trusted.
    if (e.type === "service-stopped" || e.type === "service-started") this.cache.clear();
    if (!this.watching) return;
    if (this.watchTimer) clearTimeout(this.watchTimer);
    this.watchTimer = setTimeout(() => {
      this.watchTimer = null;
      void this.pushStatus();
    }, this.o.watchDelayMs ?? 250);
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
