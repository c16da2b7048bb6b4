/**
 * The native-messaging host process. stdout carries frames only: everything
 * else written to stdout (console.log, a chatty dependency) is sent to
 * stderr. The hello goes out before the heavy modules (zod, the certificate
 * layer, koffi and the PC/SC library) are loaded.
 */

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { COMMANDS, MAX_REPLY_BYTES, MAX_REQUEST_BYTES, PROTOCOL_VERSION } from "@jpki-guard/shared/protocol-constants";
import { VERSION } from "../version.js";
import { encodeFrame, FrameReader } from "./framing.js";

/** Set by bridge/build.mjs: true in the release build (undefined when run from source, as in unit tests). */
declare const __JPKI_GUARD_RELEASE__: boolean | undefined;
const RELEASE = typeof __JPKI_GUARD_RELEASE__ !== "undefined" && __JPKI_GUARD_RELEASE__;

/**
 * The protocol version the hello announces: this host's own, except in a
 * development build given JPKI_GUARD_DEV_PROTOCOL (0-999), which answers
 * another version so the version-skew tests can play an older or newer
 * host. The release build ignores it.
 */
export function helloProtocol(env: NodeJS.ProcessEnv, release = RELEASE): number {
  const v = env.JPKI_GUARD_DEV_PROTOCOL;
  if (release || v === undefined || !/^\d{1,3}$/.test(v)) return PROTOCOL_VERSION;
  return Number(v);
}

/** What is kept of stdin before the session is ready (then stdin is paused). */
export const MAX_EARLY_BYTES = 64 * 1024;

export interface HostIo {
  stdin: NodeJS.ReadableStream & { pause(): unknown; resume(): unknown };
  writeFrame: (b: Buffer) => boolean;
  argv: string[];
  env: NodeJS.ProcessEnv;
  exit: (code: number) => void;
  /**
   * The allow-list a release package installed beside the code
   * (`<install dir>/allowed-origins.json`, root-owned), or null in a
   * development checkout, where `--allow` / JPKI_GUARD_ALLOWED_ORIGINS apply.
   */
  installedOrigins?: string[] | null;
}

/** Read a release install's allow-list: a JSON array of origins / add-on ids next to the app folder. */
export function readInstalledOrigins(hostScript: string): string[] | null {
  const file = join(dirname(dirname(hostScript)), "allowed-origins.json");
  if (!existsSync(file)) return null;
  try {
    const v = JSON.parse(readFileSync(file, "utf8")) as unknown;
    if (Array.isArray(v) && v.every((x) => typeof x === "string" && x.length > 0 && x.length < 200)) return v;
  } catch {
    // unreadable: serve nobody
  }
  return [];
}

/** The caller's origin as the browser passes it: Chrome `chrome-extension://ID/`, Firefox `<manifest> <addon id>`. */
export function callerOrigin(argv: string[]): string | null {
  // Chrome and its family: the origin is the first argument, nowhere else.
  if (argv[0]?.startsWith("chrome-extension://")) return argv[0];
  // Firefox: argv = [manifest path, add-on id]: the second, after a manifest path.
  if (argv.length >= 2 && argv[0]!.endsWith(".json") && !argv[1]!.startsWith("-")) return argv[1]!;
  return null;
}

export function allowedOrigins(env: NodeJS.ProcessEnv, argv: string[]): string[] {
  const fromArgs = argv.filter((_, i) => argv[i - 1] === "--allow").map((a) => a.trim());
  const fromEnv = (env.JPKI_GUARD_ALLOWED_ORIGINS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return [...fromArgs, ...fromEnv];
}

export async function runHost(io: HostIo): Promise<void> {
  const send = (m: unknown) => {
    let frame = encodeFrame(m);
    if (frame.length - 4 > MAX_REPLY_BYTES) {
      const id = (m as { id?: string }).id ?? null;
      frame = encodeFrame({
        type: "error",
        id,
        error: { code: "internal", message: "reply too large for the browser" },
      });
    }
    io.writeFrame(frame);
  };

  const origin = callerOrigin(io.argv);
  const allowed = io.installedOrigins ?? allowedOrigins(io.env, io.argv);
  if (!origin || !allowed.includes(origin)) {
    send({
      type: "error",
      id: null,
      error: {
        code: "forbidden-origin",
        message: `caller ${origin ?? "(none)"} is not an extension this host was installed for`,
      },
    });
    io.exit(1);
    return;
  }

  send({
    type: "hello",
    protocol: helloProtocol(io.env),
    host: { name: "jpki-guard", version: VERSION },
    capabilities: COMMANDS,
  });

  const reader = new FrameReader(MAX_REQUEST_BYTES);
  // Bytes that arrive before the session exists are kept undecoded, and only
  // up to a bound: past it stdin is paused (the rest waits in the pipe).
  const early: Buffer[] = [];
  let earlyBytes = 0;
  let session: import("./session.js").HostSession | null = null;
  let ended = false;

  const finish = async (code: number) => {
    if (ended) return;
    ended = true;
    await session?.close();
    io.exit(code);
  };

  const feed = (chunk: Buffer, s: import("./session.js").HostSession): void => {
    if (ended) return;
    const events = reader.push(chunk);
    const violation = events.find((e) => e.kind === "violation");
    if (violation) {
      // An impossible length: say so once and leave; nothing after it is read.
      io.stdin.pause();
      send({ type: "error", id: null, error: { code: "bad-request", message: violation.message } });
      void finish(1);
      return;
    }
    for (const e of events) s.receive(e);
  };

  io.stdin.on("data", (chunk: Buffer) => {
    if (session) return feed(chunk, session);
    early.push(chunk);
    earlyBytes += chunk.length;
    if (earlyBytes >= MAX_EARLY_BYTES) io.stdin.pause();
  });
  io.stdin.on("end", () => {
    void (async () => {
      while (!session) await new Promise((r) => setTimeout(r, 5));
      await finish(0);
    })();
  });
  io.stdin.on("error", () => void finish(0));

  // Heavy modules after the hello.
  const { HostSession } = await import("./session.js");
  const { PcscTransport } = await import("../transport/pcsc.js");
  session = new HostSession({
    send,
    transport: () => new PcscTransport(),
    backpressure: (paused) => (paused ? io.stdin.pause() : io.stdin.resume()),
    onQuit: () => setImmediate(() => void finish(0)),
  });
  // Resume first: data events come on later ticks, after the kept bytes (and
  // the session may pause again while it works through them).
  if (earlyBytes >= MAX_EARLY_BYTES) io.stdin.resume();
  earlyBytes = 0;
  for (const c of early.splice(0)) feed(c, session);
}
