/**
 * A background for the handlers' tests: the real BackgroundState (store,
 * gate, tabs, status flow) over a scripted bridge and recording fakes of
 * the browser's APIs. Test-only.
 */
import type { Command, Environment, ParamsOf, ResultOf, Status } from "@jpki-guard/shared";
import type { BridgeState } from "../../bridge";
import { parseSettings, type Settings } from "../../settings";
import type { Badge } from "../badge";
import { BackgroundState } from "../state";
import { NOW } from "../status-fixture";

/** An answer of the scripted host: a result, or something thrown (a BridgeError-like object). */
type Answer = (params: unknown) => Promise<unknown>;

export class FakeHost {
  state: BridgeState = { kind: "ready", hostVersion: "1" };
  /** Every request and watch, with its params, in order. */
  readonly calls: Array<[Command, unknown]> = [];
  private readonly script: Array<[Command, Answer]> = [];

  /** The next request of this command answers with this result. */
  answer<C extends Command>(command: C, result: ResultOf<C>): this {
    this.script.push([command, async () => structuredClone(result)]);
    return this;
  }

  /** The next request of this command fails with the host's error body. */
  fail(command: Command, body: { code: string; message?: string; triesLeft?: number }): this {
    this.script.push([
      command,
      async () => {
        throw Object.assign(new Error("host error"), { body: { message: "x", ...body } });
      },
    ]);
    return this;
  }

  /** The bridge's state changes are told here (the background's onBridgeState). */
  onState: (s: BridgeState) => void = () => undefined;
  /** Host processes started (a request while not ready starts one) and closed. */
  started = 0;
  closed = 0;

  private setState(s: BridgeState): void {
    this.state = s;
    this.onState(s);
  }

  async request<C extends Command>(command: C, params?: ParamsOf<C>): Promise<ResultOf<C>> {
    this.calls.push([command, params]);
    if (this.state.kind !== "ready") this.started++;
    const at = this.script.findIndex(([c]) => c === command);
    if (at < 0) throw new Error(`unexpected request: ${command}`);
    const [[, run]] = this.script.splice(at, 1) as [[Command, Answer]];
    const result = (await run(params)) as ResultOf<C>;
    // Answered: a host is connected.
    if (this.state.kind !== "ready") this.setState({ kind: "ready", hostVersion: "1" });
    return result;
  }

  disconnect(): void {
    if (this.state.kind === "ready") this.closed++;
    this.setState({ kind: "idle" });
  }

  watch(params: ParamsOf<"watch">): Promise<Status> {
    return this.request("watch", params);
  }
}

export interface Fakes {
  host: FakeHost;
  badges: Badge[];
  sentToTabs: Array<[number, unknown]>;
  remembered: Status[];
  registered: string[][];
  settings: { settings: Settings; managed: string | null };
}

export interface FakeTimer {
  f: () => void;
  ms: number;
  cleared: boolean;
}

export function fakeBackground(
  o: {
    settings?: Partial<Settings>;
    managed?: string | null;
    /** The managed preset's read, answered when the test says (Chromium's first read takes seconds). */
    managedRead?: Promise<string | null>;
    now?: Date;
    session?: Record<string, unknown>;
    /** The platform the background's environment probe reports (tests change `platform.env`); none: no probe. */
    environment?: Environment;
  } = {},
) {
  /** storage.session's one key, and the timers the background set (tests run them). */
  const session: { value: unknown } = { value: o.session };
  const timers: FakeTimer[] = [];
  let changes = 0;
  /** The background's clock: tests move it (clock.now = ...). */
  const clock = { now: o.now ?? NOW };
  const platform = { env: o.environment ?? null, probes: 0 };
  const f: Fakes = {
    host: new FakeHost(),
    badges: [],
    sentToTabs: [],
    remembered: [],
    registered: [],
    settings: { settings: parseSettings(o.settings ?? {}), managed: o.managed ?? null },
  };
  const bg = new BackgroundState({
    bridge: f.host,
    reminders: {
      remember: async (s) => void f.remembered.push(s),
      run: async () => [],
    },
    sendToTab: async (tabId, m) => void f.sentToTabs.push([tabId, m]),
    setBadge: async (b) => void f.badges.push(b),
    readSettings: async () => f.settings.settings,
    readManaged: async () => (o.managedRead ? await o.managedRead : f.settings.managed),
    registerUserPortals: async (portals) => void f.registered.push(portals),
    now: () => clock.now,
    session: {
      get: async () => structuredClone(session.value),
      set: async (v) => {
        session.value = v;
      },
    },
    setTimer: (fn, ms) => {
      const t = { f: fn, ms, cleared: false };
      timers.push(t);
      return t;
    },
    clearTimer: (t) => {
      (t as FakeTimer).cleared = true;
    },
    changed: () => void changes++,
    ...(o.environment
      ? {
          environment: async () => {
            platform.probes++;
            if (!platform.env) throw new Error("no platform");
            return platform.env;
          },
        }
      : {}),
  });
  f.host.onState = (s) => void bg.onBridgeState(s);
  /** Run the timers due (not cleared) of at least this many ms. */
  const runTimers = (ms: number) => {
    const due = timers.filter((t) => !t.cleared && t.ms <= ms);
    for (const t of due) timers.splice(timers.indexOf(t), 1);
    for (const t of due) t.f();
  };
  return { bg, clock, platform, session, timers, runTimers, changes: () => changes, ...f };
}

/** A sender as the router admits it: the popup, or a portal's top frame in tab 7. */
export const POPUP = { id: "x", url: "chrome-extension://x/popup.html" };
export const portalTab = (url: string) => ({ id: "x", url, tab: { id: 7 }, frameId: 0 });
