import { emptyFacts, evaluate, locality, type Status } from "@jpki-guard/shared";
import { healthyCard, jlisCertificate } from "@jpki-guard/shared/test-support";
import { describe, expect, it } from "vitest";
import { bannerFor } from "./banner";
import { NativeBridge, type PortLike } from "./bridge";
import { dueReminders, scheduleFor } from "./reminders";
import {
  chooseMunicipality,
  matchesPattern,
  municipalityFor,
  parseManaged,
  parseSettings,
  portalAction,
  preselectFor,
} from "./settings";
import { versionSkewLines } from "./version-skew";

class FakePort implements PortLike {
  sent: unknown[] = [];
  private onMsg: ((m: unknown) => void)[] = [];
  private onDis: (() => void)[] = [];
  onMessage = { addListener: (f: (m: unknown) => void) => this.onMsg.push(f) };
  onDisconnect = { addListener: (f: () => void) => this.onDis.push(f) };
  postMessage(m: unknown) {
    this.sent.push(m);
  }
  closed = false;
  disconnect() {
    this.closed = true;
  }
  emit(m: unknown) {
    for (const f of this.onMsg) f(m);
  }
  drop() {
    for (const f of this.onDis) f();
  }
}

const HELLO = { type: "hello", protocol: 1, host: { name: "jpki-guard", version: "0.1.0" }, capabilities: ["status"] };

function setup(lastError?: string) {
  const ports: FakePort[] = [];
  const states: string[] = [];
  const b = new NativeBridge({
    connectNative: () => {
      const p = new FakePort();
      ports.push(p);
      return p;
    },
    lastError: () => lastError,
    onState: (s) => states.push(s.kind),
    onStatusEvent: () => undefined,
    timeoutMs: 50,
  });
  return { b, ports, states };
}

describe("native bridge state machine", () => {
  it("one watch on first connection (hello does not repeat it); after the host comes back, its watch reply is shown", async () => {
    const { status } = await import("./bg/status-fixture");
    const ports: FakePort[] = [];
    const events: Status[] = [];
    const timers: Array<{ f: () => void; ms: number }> = [];
    const b = new NativeBridge({
      connectNative: () => {
        const p = new FakePort();
        ports.push(p);
        return p;
      },
      lastError: () => undefined,
      onState: () => undefined,
      onStatusEvent: (s) => events.push(s),
      timeoutMs: 5000,
      setTimer: (f: () => void, ms: number) => timers.push({ f, ms }),
      clearTimer: () => undefined,
    });
    const tick = () => new Promise((x) => setTimeout(x, 0));
    const first = b.watch({});
    ports[0]!.emit(HELLO);
    await tick();
    const watches = (p: FakePort) => p.sent.filter((m) => (m as { command: string }).command === "watch");
    expect(watches(ports[0]!)).toHaveLength(1);
    const id0 = (watches(ports[0]!)[0] as { id: string }).id;
    ports[0]!.emit({ type: "reply", id: id0, command: "watch", result: status({ fp: "00000000000000aa" }) });
    await first;
    // The host dies (crash, upgrade); the bridge reconnects after its back-off.
    ports[0]!.drop();
    const reconnect = timers.find((t) => t.ms === 1000);
    expect(reconnect).toBeDefined();
    reconnect!.f();
    await tick();
    ports[1]!.emit(HELLO);
    await tick();
    expect(watches(ports[1]!)).toHaveLength(1);
    const id1 = (watches(ports[1]!)[0] as { id: string }).id;
    const swapped = status({ fp: "00000000000000cc", authTries: 1 });
    ports[1]!.emit({ type: "reply", id: id1, command: "watch", result: swapped });
    await tick();
    expect(events.at(-1)?.facts.authCertificate?.fingerprint).toBe("00000000000000cc");
  });

  it("disconnect on purpose: the port closes, pending requests fail, no reconnect; the next watch connects once and sends one watch", async () => {
    const { b, ports, states } = setup();
    const tick = () => new Promise((x) => setTimeout(x, 0));
    const first = b.watch({});
    ports[0]!.emit(HELLO);
    await tick();
    const pending = b.request("diagnose");
    await tick();
    b.disconnect();
    await expect(pending).rejects.toMatchObject({ body: { code: "host-disconnected" } });
    await expect(first).rejects.toMatchObject({ body: { code: "host-disconnected" } });
    expect(ports[0]!.closed).toBe(true);
    expect(states.at(-1)).toBe("idle");
    // A late disconnect event of the closed port changes nothing and schedules nothing.
    ports[0]!.drop();
    await new Promise((x) => setTimeout(x, 80));
    expect(ports).toHaveLength(1);
    expect(states.at(-1)).toBe("idle");
    void b.watch({}).catch(() => undefined);
    ports[1]!.emit(HELLO);
    await tick();
    expect(ports[1]!.sent.filter((m) => (m as { command: string }).command === "watch")).toHaveLength(1);
  });

  it("a host from before watch's inUse refuses the field: the watch is sent again without it", async () => {
    const { b, ports } = setup();
    const tick = () => new Promise((x) => setTimeout(x, 0));
    const { status } = await import("./bg/status-fixture");
    const w = b.watch({ inUse: false });
    ports[0]!.emit(HELLO);
    await tick();
    const sent = () => ports[0]!.sent as Array<{ id: string; command: string; params?: unknown }>;
    ports[0]!.emit({
      type: "error",
      id: sent()[0]!.id,
      error: { code: "bad-request", message: "params: unknown key" },
    });
    await tick();
    expect(sent().map((m) => m.params)).toEqual([{ inUse: false }, {}]);
    ports[0]!.emit({ type: "reply", id: sent()[1]!.id, command: "watch", result: status() });
    await expect(w).resolves.toEqual(status());
  });

  it("connecting -> ready on hello; requests carry the protocol version and resolve by id", async () => {
    const { b, ports, states } = setup();
    const r = b.request("unwatch");
    ports[0]!.emit(HELLO);
    await Promise.resolve();
    await new Promise((x) => setTimeout(x, 0));
    const sent = ports[0]!.sent[0] as { id: string; v: number };
    expect(sent.v).toBe(1);
    ports[0]!.emit({ type: "reply", id: sent.id, command: "unwatch", result: { watching: false } });
    await expect(r).resolves.toEqual({ watching: false });
    expect(states).toEqual(["connecting", "ready"]);
  });

  it("replies are checked against the command's result schema: a wrong shape or another command's reply fails the request", async () => {
    const { b, ports } = setup();
    const r1 = b.request("status", { municipality: "142034" });
    ports[0]!.emit(HELLO);
    await new Promise((x) => setTimeout(x, 0));
    const s1 = ports[0]!.sent[0] as { id: string };
    ports[0]!.emit({ type: "reply", id: s1.id, command: "status", result: { ok: 1 } });
    await expect(r1).rejects.toMatchObject({ body: { code: "bad-response" } });
    const r2 = b.request("unwatch");
    await new Promise((x) => setTimeout(x, 0));
    const s2 = ports[0]!.sent[1] as { id: string };
    ports[0]!.emit({ type: "reply", id: s2.id, command: "quit", result: { bye: true } });
    await expect(r2).rejects.toMatchObject({ body: { code: "bad-response" } });
  });

  it("no hello before disconnect: no-bridge (host not installed)", async () => {
    const { b, ports, states } = setup("Specified native messaging host not found.");
    const c = b.connect();
    ports[0]!.drop();
    await expect(c).rejects.toThrow(/not found/);
    expect(states.at(-1)).toBe("no-bridge");
  });

  it("a host speaking another protocol: version-mismatch with the side to update", async () => {
    const { b, ports, states } = setup();
    const c = b.connect();
    ports[0]!.emit({ ...HELLO, protocol: 2 });
    await expect(c).rejects.toThrow();
    expect(states.at(-1)).toBe("version-mismatch");
    expect(b.state).toMatchObject({ kind: "version-mismatch", update: "extension" });
  });

  it.each([
    [0, "host", "ブリッジを更新", "sudo apt install", "通信の版: ブリッジ 0、拡張機能 1"],
    [2, "extension", "拡張機能を更新", "chrome://extensions", "通信の版: ブリッジ 2、拡張機能 1"],
  ] as const)(
    "a host answering protocol %i: the popup says, in Japanese first, to update the %s, with the steps",
    async (protocol, update, lead, step, versions) => {
      const { b, ports } = setup();
      const c = b.watch({});
      ports[0]!.emit({ ...HELLO, protocol });
      await expect(c).rejects.toMatchObject({ body: { code: "version-mismatch" } });
      expect(ports[0]!.closed).toBe(true);
      expect(b.state).toMatchObject({ kind: "version-mismatch", update, hostProtocol: protocol });
      const state = b.state as Extract<typeof b.state, { kind: "version-mismatch" }>;
      const ja = versionSkewLines("ja", state, { os: "linux", firefox: false });
      expect(ja.alert).toContain(lead);
      expect(ja.steps).toContain(step);
      expect(ja.versions).toBe(versions);
      expect(versionSkewLines("en", state, { os: "linux", firefox: false }).alert).toMatch(
        /update the (bridge|extension)/,
      );
    },
  );

  it("the update steps follow the OS (the bridge) and the browser (the extension)", () => {
    const host = { kind: "version-mismatch", update: "host", detail: "", hostProtocol: 0 } as const;
    const ext = { ...host, update: "extension", hostProtocol: 2 } as const;
    expect(versionSkewLines("ja", host, { os: "win", firefox: false }).steps).toContain("windows-x64.msi");
    expect(versionSkewLines("ja", host, { os: "mac", firefox: false }).steps).toContain("install.sh");
    expect(versionSkewLines("ja", ext, { os: "win", firefox: true }).steps).toContain("about:addons");
    expect(versionSkewLines("en", ext, { os: "win", firefox: false }).steps).toContain("edge://extensions");
  });

  it("a request without an answer times out; malformed host messages are ignored", async () => {
    const { b, ports } = setup();
    const r = b.request("status");
    ports[0]!.emit("garbage");
    ports[0]!.emit(HELLO);
    await expect(r).rejects.toMatchObject({ body: { code: "host-timeout" } });
  });

  it("error replies reject with the typed body", async () => {
    const { b, ports } = setup();
    const r = b.request("readSignatureCertificate", { pin: "ABC123" });
    ports[0]!.emit(HELLO);
    await new Promise((x) => setTimeout(x, 0));
    const id = (ports[0]!.sent[0] as { id: string }).id;
    ports[0]!.emit({ type: "error", id, error: { code: "pin-too-few-tries", message: "1 left", triesLeft: 1 } });
    await expect(r).rejects.toMatchObject({ body: { code: "pin-too-few-tries", triesLeft: 1 } });
  });
});

describe("settings and portals", () => {
  it("bad stored settings fall back to defaults", () => {
    expect(parseSettings({ language: "fr" }).language).toBe("ja");
    expect(parseSettings(null).municipality).toBeNull();
    expect(parseSettings(null).municipalityChosen).toBe(false);
    expect(parseSettings({ portals: ["http://insecure.example/*"] }).portals).toEqual([]);
  });

  it("the municipality: no default city; an older unconfirmed 'hiratsuka' only preselects the question", () => {
    const fresh = parseSettings(null);
    expect(municipalityFor(fresh, null)).toBeNull();
    expect(preselectFor(fresh)).toBeNull();
    // What every older version stored on any change (language, reminders), chosen or not.
    const old = parseSettings({ municipality: "hiratsuka", language: "en", reminders: false, portals: [] });
    expect(municipalityFor(old, null)).toBeNull();
    expect(preselectFor(old)).toBe("142034");
    expect(preselectFor(parseSettings({ municipality: "national" }))).toBeNull();
    // Saving another setting keeps the question open; only a choice records it.
    const savedLanguage = parseSettings({ ...old, language: "ja" });
    expect(municipalityFor(savedLanguage, null)).toBeNull();
    const chosen = parseSettings(chooseMunicipality(old, "271276"));
    expect(municipalityFor(chosen, null)).toBe("271276");
    expect(preselectFor(chosen)).toBeNull();
    expect(municipalityFor(parseSettings(chooseMunicipality(old, null)), null)).toBeNull();
    // An administrator's preset wins over the citizen's choice; a malformed policy value is ignored.
    expect(municipalityFor(chosen, parseManaged({ municipality: "142034" }))).toBe("142034");
    expect(parseManaged({ municipality: "hiratsuka" })).toBeNull();
    expect(parseManaged(null)).toBeNull();
  });

  it("portal matching: production hosts and user patterns, https only", () => {
    expect(portalAction("https://myna.go.jp/SCK0101_01_001/", [])).toBe("login");
    expect(portalAction("https://clientweb.e-tax.nta.go.jp/UF_APP/lnk/loginCtlKakutei", [])).toBe("sign");
    expect(portalAction("https://www.keisan.nta.go.jp/", [])).toBe("sign");
    expect(portalAction("https://evil.example/myna.go.jp/", [])).toBeNull();
    expect(portalAction("https://myna.go.jp.evil.example/", [])).toBeNull();
    expect(portalAction("http://myna.go.jp/", [])).toBeNull();
    expect(matchesPattern("https://a.portal.example.jp/x", "https://*.portal.example.jp/*")).toBe(true);
    expect(portalAction("https://portal.example.jp/", ["https://portal.example.jp/*"])).toBe("login");
  });
});

describe("reminders", () => {
  it("renewal window, 30 days, 7 days: once each, from due dates only (never the expiry date)", () => {
    const auth = scheduleFor({ notAfter: "2027-05-31T14:59:59Z", keyAlgorithm: "RSA" })!; // 31 May 2027, 23:59:59 JST
    expect(auth).toEqual({ window: "2027-02-28", "30": "2027-05-01", "7": "2027-05-24", end: "2027-06-01" });
    expect(JSON.stringify(auth)).not.toContain("2027-05-31");
    const s = { auth, sign: null };
    expect(dueReminders(s, [], new Date("2027-02-27T14:00:00Z"))).toEqual([]); // 27 Feb 23:00 JST
    const w = dueReminders(s, [], new Date("2027-02-27T15:00:00Z")); // 28 Feb JST: window opens
    expect(w).toEqual([{ key: "auth:2027-02-28:window", which: "auth", kind: "window" }]);
    expect(dueReminders(s, ["auth:2027-02-28:window"], new Date("2027-03-10T00:00:00Z"))).toEqual([]);
    expect(dueReminders(s, [], new Date("2027-05-01T00:00:00Z")).map((r) => r.kind)).toEqual(["30"]);
    expect(dueReminders(s, [], new Date("2027-05-25T00:00:00Z")).map((r) => r.kind)).toEqual(["7"]);
    expect(dueReminders(s, [], new Date("2027-06-01T00:00:00Z"))).toEqual([]);
    expect(dueReminders({ auth: { bogus: 1 } as never, sign: null }, [], new Date())).toEqual([]);
    // The announced next-generation card (EC keys): the window opens a year before expiry.
    expect(scheduleFor({ notAfter: "2037-05-31T14:59:59Z", keyAlgorithm: "EC" })!.window).toBe("2036-05-31");
  });
});

describe("banner model", () => {
  it("nothing when ready or when no card could be read; text only otherwise", () => {
    const f = emptyFacts(new Date("2026-11-26T00:00:00Z"));
    f.problems.push({ code: "no-card", message: "x" });
    expect(bannerFor(evaluate(f, { now: new Date(), locality: null }), "ja")).toEqual({ show: false });
    const g = healthyCard(new Date(), (c) => {
      c.authCertificate = jlisCertificate("2021-01-01T00:00:00Z", "2027-01-10T14:59:59Z");
      c.pins.auth = { triesLeft: 0, maxTries: 3, locked: true };
    });
    const m = bannerFor(evaluate(g, { now: new Date("2026-11-26T03:00:00Z"), locality: locality("hiratsuka") }), "en");
    expect(m.show).toBe(true);
    const json = JSON.stringify(m);
    expect(json).toContain("locked");
    expect(json).not.toContain("0123456789abcdef");
    expect(json).not.toContain("fingerprint");
    // The details always offer 'I don't know my PIN' for the PIN this action uses.
    if (!m.show) return;
    const pinItem = m.items.find((i) => i.text.startsWith("If you do not know a PIN"))!;
    expect(pinItem.text).toContain("Authentication PIN");
    expect(pinItem.steps.join(" ")).toContain("4 digits");
    const ja = bannerFor(evaluate(g, { now: new Date("2026-11-26T03:00:00Z"), action: "sign", locality: null }), "ja");
    if (!ja.show) throw new Error("banner expected");
    expect(ja.items.filter((i) => i.text.startsWith("暗証番号がわからないとき")).map((i) => i.text)).toEqual([
      "暗証番号がわからないとき: 署名用(英数字6〜16桁)",
      "暗証番号がわからないとき: 利用者証明用(数字4桁)",
    ]);
  });
});

describe("banner, collapsed", () => {
  it("one sentence and the one most important step", async () => {
    const { firstSentence } = await import("./banner");
    expect(firstSentence("有効期限は 2027-01-11(あと 45 日)です。2026-10-11 から更新できます。", "ja")).toBe(
      "有効期限は 2027-01-11(あと 45 日)です。",
    );
    expect(firstSentence("It expires on 2027-01-11. Renew now.", "en")).toBe("It expires on 2027-01-11.");
    expect(firstSentence("No full stop", "en")).toBe("No full stop");
  });
});
