/**
 * The native port, as an explicit state machine:
 * disconnected -> connecting -> ready -> (disconnected again | no-bridge | version-mismatch),
 * with a time limit per request and reconnection with backoff after an
 * unexpected disconnect. Everything from the host is validated.
 */
import {
  type Command,
  type ErrorBody,
  HOST_NAME,
  type MessageFromHost,
  MessageFromHostSchema,
  type ParamsOf,
  PROTOCOL_VERSION,
  type ResultOf,
  type Status,
} from "@jpki-guard/shared";

export type BridgeState =
  | { kind: "disconnected" }
  /** Closed on purpose: nothing needed the host for a while (it exits when its port closes). */
  | { kind: "idle" }
  | { kind: "connecting" }
  | { kind: "ready"; hostVersion: string }
  | { kind: "no-bridge"; detail: string }
  | { kind: "version-mismatch"; update: "host" | "extension"; detail: string; hostProtocol?: number };

export interface PortLike {
  postMessage(m: unknown): void;
  disconnect(): void;
  onMessage: { addListener(f: (m: unknown) => void): void };
  onDisconnect: { addListener(f: () => void): void };
}

export interface BridgeDeps {
  connectNative: (name: string) => PortLike;
  lastError: () => string | undefined;
  onState: (s: BridgeState) => void;
  onStatusEvent: (s: Status) => void;
  timeoutMs?: number;
  setTimer?: (f: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

export class BridgeError extends Error {
  constructor(readonly body: ErrorBody) {
    super(body.message);
  }
}

type Pending = { command: Command; resolve: (v: unknown) => void; reject: (e: Error) => void; timer: unknown };

export class NativeBridge {
  state: BridgeState = { kind: "disconnected" };
  private port: PortLike | null = null;
  private pending = new Map<string, Pending>();
  private seq = 0;
  private ready: Promise<void> | null = null;
  private backoffMs = 1000;
  private reconnectTimer: unknown = null;
  private watching: ParamsOf<"watch"> | null = null;
  /** A host has said hello on an earlier port: the next hello is a reconnect. */
  private greetedBefore = false;
  /** Fails the connection under way (a promise settles once: harmless after hello). */
  private abortConnect: (() => void) | null = null;

  constructor(private readonly d: BridgeDeps) {}

  private set(s: BridgeState): void {
    this.state = s;
    this.d.onState(s);
  }

  private timer(f: () => void, ms: number): unknown {
    return (this.d.setTimer ?? setTimeout)(f, ms);
  }

  private clear(t: unknown): void {
    (this.d.clearTimer ?? ((x: unknown) => clearTimeout(x as ReturnType<typeof setTimeout>)))(t);
  }

  /** Connect (once) and wait for the host's hello. */
  connect(): Promise<void> {
    if (this.ready) return this.ready;
    this.set({ kind: "connecting" });
    this.ready = new Promise<void>((resolve, reject) => {
      let port: PortLike;
      try {
        port = this.d.connectNative(HOST_NAME);
      } catch (e) {
        this.set({ kind: "no-bridge", detail: String(e) });
        this.ready = null;
        reject(new BridgeError({ code: "internal", message: String(e) }));
        return;
      }
      this.port = port;
      this.abortConnect = () =>
        reject(new BridgeError({ code: "host-disconnected", message: "the bridge was closed" }));
      let greeted = false;
      port.onMessage.addListener((raw) => {
        const parsed = MessageFromHostSchema.safeParse(raw);
        if (!parsed.success) {
          // A reply to one of our requests that breaks the protocol fails that request at once;
          // anything else we do not understand is ignored.
          const id = (raw as { id?: unknown } | null)?.id;
          const p = typeof id === "string" ? this.pending.get(id) : undefined;
          if (p && typeof id === "string") {
            this.pending.delete(id);
            this.clear(p.timer);
            p.reject(
              new BridgeError({ code: "bad-response", message: "the bridge's answer did not match the protocol" }),
            );
          }
          return;
        }
        const m = parsed.data;
        if (m.type === "hello") {
          greeted = true;
          if (m.protocol !== PROTOCOL_VERSION) {
            const update = m.protocol < PROTOCOL_VERSION ? "host" : "extension";
            this.set({
              kind: "version-mismatch",
              update,
              detail: `host protocol ${m.protocol}, extension ${PROTOCOL_VERSION}`,
              hostProtocol: m.protocol,
            });
            port.disconnect();
            reject(new BridgeError({ code: "version-mismatch", message: "protocol versions differ", update }));
            return;
          }
          this.backoffMs = 1000;
          const reconnect = this.greetedBefore;
          this.greetedBefore = true;
          this.set({ kind: "ready", hostVersion: m.host.version });
          resolve();
          // A host that came back (crash, package upgrade) knows nothing: watch again and show
          // what its reply says. (The first connection's watch is the caller's own request.)
          if (reconnect && this.watching)
            void this.request("watch", this.watching)
              .then((status) => this.d.onStatusEvent(status))
              .catch(() => undefined);
          return;
        }
        this.dispatch(m);
      });
      port.onDisconnect.addListener(() => {
        // A port we closed ourselves (idle) says nothing more.
        if (this.port !== port) return;
        const err = this.d.lastError() ?? "";
        this.port = null;
        this.ready = null;
        for (const [, p] of this.pending) {
          this.clear(p.timer);
          p.reject(new BridgeError({ code: "host-disconnected", message: "the bridge went away before it answered" }));
        }
        this.pending.clear();
        if (!greeted) {
          // Never said hello: not installed, not allowed, or failed to start.
          if (this.state.kind !== "version-mismatch") this.set({ kind: "no-bridge", detail: err });
          reject(new BridgeError({ code: "internal", message: err || "the bridge did not start" }));
          return;
        }
        this.set({ kind: "disconnected" });
        this.scheduleReconnect();
      });
    });
    return this.ready;
  }

  /**
   * Close the port on purpose (nothing needs the host now): no reconnect,
   * pending requests fail, the state is "idle". The host exits when its
   * stdin closes (bridge/src/host/main.ts). The next request connects again.
   */
  disconnect(): void {
    this.watching = null;
    // The next connection is a first one again: its watch is the caller's own request.
    this.greetedBefore = false;
    if (this.reconnectTimer) this.clear(this.reconnectTimer);
    this.reconnectTimer = null;
    const port = this.port;
    this.port = null;
    this.ready = null;
    this.abortConnect?.();
    this.abortConnect = null;
    for (const [, p] of this.pending) {
      this.clear(p.timer);
      p.reject(new BridgeError({ code: "host-disconnected", message: "the bridge was closed" }));
    }
    this.pending.clear();
    port?.disconnect();
    if (this.state.kind === "ready" || this.state.kind === "connecting" || this.state.kind === "disconnected")
      this.set({ kind: "idle" });
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer || !this.watching) return;
    const wait = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, 60_000);
    this.reconnectTimer = this.timer(() => {
      this.reconnectTimer = null;
      void this.connect().catch(() => this.scheduleReconnect());
    }, wait);
  }

  private dispatch(m: MessageFromHost): void {
    if (m.type === "event") {
      this.d.onStatusEvent(m.status);
      return;
    }
    if (m.type === "hello") return;
    const id = m.id;
    if (id === null) return;
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    this.clear(p.timer);
    if (m.type === "error") p.reject(new BridgeError(m.error));
    // A reply is validated against its command's result schema on arrival; it must answer what was asked.
    else if (m.command !== p.command)
      p.reject(new BridgeError({ code: "bad-response", message: "the bridge answered another command" }));
    else p.resolve(m.result);
  }

  /** One request, typed by the protocol's command table; the reply arrives validated. */
  async request<C extends Command>(command: C, params?: ParamsOf<C>): Promise<ResultOf<C>> {
    await this.connect();
    const port = this.port;
    if (!port) throw new BridgeError({ code: "internal", message: "the bridge is not connected" });
    const id = `r${++this.seq}`;
    return new Promise<ResultOf<C>>((resolve, reject) => {
      const timer = this.timer(() => {
        this.pending.delete(id);
        reject(
          new BridgeError({
            code: "host-timeout",
            message: `no answer from the bridge within ${this.d.timeoutMs ?? 20_000} ms`,
          }),
        );
      }, this.d.timeoutMs ?? 20_000);
      this.pending.set(id, { command, resolve: resolve as (v: unknown) => void, reject, timer });
      port.postMessage(params ? { id, v: PROTOCOL_VERSION, command, params } : { id, v: PROTOCOL_VERSION, command });
    });
  }

  /** Keep a live status: the host pushes a new one on every card change; reconnects after a disconnect. */
  async watch(params: ParamsOf<"watch">): Promise<Status> {
    this.watching = params;
    try {
      return await this.request("watch", params);
    } catch (e) {
      // A host from before `inUse` refuses the unknown field: watch as it knows (its poll stays on).
      if (params?.inUse === undefined || !(e instanceof BridgeError) || e.body.code !== "bad-request") throw e;
      const { inUse: _, ...older } = params ?? {};
      this.watching = older;
      return await this.request("watch", older);
    }
  }
}
