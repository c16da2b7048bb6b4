import { type ChildProcess, exec, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { encodeFrame, FrameReader } from "@jpki-guard/bridge";
import { MAX_REPLY_BYTES, type MessageFromHost, MessageFromHostSchema, PROTOCOL_VERSION } from "@jpki-guard/shared";
import { buildCard, type CardModel, namedProfile, PcscdRig, type ProfileName } from "@jpki-guard/virtual-card";

export const sh = promisify(exec);

export async function card(profile: ProfileName): Promise<CardModel> {
  return buildCard(await namedProfile(profile));
}

/** Start the private pcscd with a card (`onApdu`: called for each APDU the card gets); the caller stops it. */
export async function startRig(profile: ProfileName | null, o: { onApdu?: () => void } = {}): Promise<PcscdRig> {
  return PcscdRig.start({ card: profile ? await card(profile) : null, onApdu: o.onApdu });
}

export const HOST = fileURLToPath(new URL("../../bridge/dist/jpki-guard-host.mjs", import.meta.url));
if (!existsSync(HOST)) throw new Error(`${HOST} is missing: run pnpm build first (scripts/test.sh does)`);
export const ORIGIN = "chrome-extension://abcdefghijklmnopabcdefghijklmnop/";

export class HostProcess {
  readonly child: ChildProcess;
  private frames = new FrameReader(MAX_REPLY_BYTES);
  readonly messages: MessageFromHost[] = [];
  private waiters: Array<() => void> = [];
  stderr = "";
  /** The built host (node + script), or `executable` (an installed launcher) when given. */
  constructor(
    args: string[],
    env: Record<string, string> = { JPKI_GUARD_ALLOWED_ORIGINS: ORIGIN },
    executable?: string,
  ) {
    this.child = spawn(executable ?? process.execPath, executable ? args : [HOST, ...args], {
      env: { ...process.env, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child.stdout!.on("data", (d: Buffer) => {
      for (const e of this.frames.push(d)) {
        // Every byte on stdout must belong to a valid frame.
        if (e.kind !== "message") throw new Error(`the host wrote a bad frame: ${e.message}`);
        this.messages.push(MessageFromHostSchema.parse(e.value));
        for (const w of this.waiters.splice(0)) w();
      }
    });
    this.child.stderr!.on("data", (d) => {
      this.stderr += d;
    });
  }
  send(o: unknown): void {
    this.child.stdin!.write(encodeFrame(o));
  }
  async next(pred: (m: MessageFromHost) => boolean, timeoutMs = 15_000): Promise<MessageFromHost> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = this.messages.find(pred);
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`no such message; got ${JSON.stringify(this.messages).slice(0, 500)}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 100);
      });
    }
  }
  /** Watch (optionally one reader); resolves with the reply. */
  watch(reader?: string): Promise<MessageFromHost> {
    this.send({ id: "w", v: PROTOCOL_VERSION, command: "watch", ...(reader ? { params: { reader } } : {}) });
    return this.next((m) => m.type === "reply" && m.id === "w");
  }
  /** Ask the host to quit; resolves with its exit code. */
  quit(): Promise<number | null> {
    this.send({ id: "q", v: PROTOCOL_VERSION, command: "quit" });
    return this.exited();
  }
  exited(): Promise<number | null> {
    return new Promise((r) =>
      this.child.exitCode !== null ? r(this.child.exitCode) : this.child.on("exit", (c) => r(c)),
    );
  }
}

/** CPU seconds (user + system) a process has used so far (Linux /proc). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (100 Hz)
}

/** Open file descriptors and threads of a process (Linux /proc). */
export function resources(pid: number): { fds: number; threads: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return {
    fds: readdirSync(`/proc/${pid}/fd`).length,
    threads: Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 0),
  };
}

/**
 * A minimal MV3 extension with the development key (so its id is the one the
 * host allows) whose service worker exposes `probe(reader)`: connect to the
 * native host, ask for a status after the hello, resolve with what came back.
 */
export function writeProbeExtension(dir: string, key: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "manifest.json"),
    JSON.stringify({
      manifest_version: 3,
      name: "jpki-guard native-messaging probe (test)",
      version: "0.0.1",
      key,
      permissions: ["nativeMessaging"],
      background: { service_worker: "sw.js" },
    }),
  );
  writeFileSync(
    join(dir, "sw.js"),
    `globalThis.probe = (reader) => new Promise((resolve) => {
      const got = [];
      const port = chrome.runtime.connectNative("com.jpki_guard.bridge");
      port.onMessage.addListener((m) => {
        got.push(m);
        if (m.type === "hello") port.postMessage({ id: "1", v: m.protocol, command: "status", params: { reader } });
        if (m.type === "reply" || m.type === "error") { port.disconnect(); resolve({ got }); }
      });
      port.onDisconnect.addListener(() => resolve({ got, disconnected: chrome.runtime.lastError ? chrome.runtime.lastError.message : "" }));
    });`,
  );
  return dir;
}
