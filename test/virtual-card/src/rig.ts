/**
 * Starts a private pcscd whose only reader is vpcd, serves a virtual card
 * to it over loopback, and stops everything it started, by pid. pcscd 1.9
 * always listens on /run/pcscd/pcscd.comm, so only one pcscd can run on a
 * machine: when another one is running we say so instead of touching it.
 *
 * vpcd runs in its listening mode: it binds port and port + 1 on all
 * interfaces (vpcd's own choice; see docs/decisions.md) while the rig runs.
 */
import { type ChildProcess, spawn } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CardModel } from "./model.js";
import { VpcdEndpoint } from "./vpcd.js";

export const READER_FRIENDLY_NAME = "jpki-guard Virtual Card";
/** pcscd appends the slot: "<friendly name> 00 00". */
export const VIRTUAL_READER_NAME = `${READER_FRIENDLY_NAME} 00 00`;

const PCSCD_CANDIDATES = ["/usr/sbin/pcscd", "/usr/local/sbin/pcscd", "/sbin/pcscd"];
const VPCD_CANDIDATES = [
  "/usr/lib/pcsc/drivers/serial/libifdvpcd.so",
  "/usr/lib64/pcsc/drivers/serial/libifdvpcd.so",
  "/usr/local/lib/pcsc/drivers/serial/libifdvpcd.so",
];
const PCSCD_PID_FILE = "/run/pcscd/pcscd.pid";
const PCSCD_SOCKET = "/run/pcscd/pcscd.comm";

export class RigError extends Error {
  constructor(
    readonly code: "pcscd-missing" | "vpcd-missing" | "pcscd-running" | "pcscd-failed" | "port-in-use" | "not-root",
    message: string,
  ) {
    super(message);
    this.name = "RigError";
  }
}

export interface RigOptions {
  /** vpcd base port (slot 0); slot 1 is port + 1. */
  port?: number;
  card?: CardModel | null;
  /** Pass -a to pcscd and keep its log (for debugging). */
  log?: boolean;
  onApdu?: (command: Uint8Array, response: Uint8Array) => void;
}

function firstExisting(paths: string[]): string | undefined {
  return paths.find((p) => existsSync(p));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Linux: is `pid` a live pcscd (not a zombie left by a killed parent, not a reused pid)? */
function isLivePcscd(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    const comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
    return state !== "Z" && comm === "pcscd";
  } catch {
    return processAlive(pid); // no /proc: trust the signal check
  }
}

/** The pid of a pcscd that is already running, if any (a stale pid file is ignored; pcscd cleans it up). */
export function runningPcscd(): number | null {
  try {
    const pid = Number.parseInt(readFileSync(PCSCD_PID_FILE, "utf8").trim(), 10);
    if (Number.isInteger(pid) && pid > 0 && processAlive(pid) && isLivePcscd(pid)) return pid;
  } catch {
    // no pid file
  }
  return null;
}

export function rigPrerequisites(): { pcscd?: string; vpcd?: string } {
  return { pcscd: firstExisting(PCSCD_CANDIDATES), vpcd: firstExisting(VPCD_CANDIDATES) };
}

export class PcscdRig {
  readonly endpoint: VpcdEndpoint;
  readonly readerName = VIRTUAL_READER_NAME;
  private child: ChildProcess | null = null;
  private dir: string;
  private exitHook = () => this.killNow();
  private stopped = false;

  private constructor(
    endpoint: VpcdEndpoint,
    dir: string,
    readonly logFile: string,
    private readonly pcscdPath: string,
    private readonly args: string[],
  ) {
    this.endpoint = endpoint;
    this.dir = dir;
  }

  static async start(options: RigOptions = {}): Promise<PcscdRig> {
    const port = options.port ?? 35963;
    const { pcscd, vpcd } = rigPrerequisites();
    if (!pcscd) throw new RigError("pcscd-missing", "pcscd is not installed (Debian/Ubuntu: apt-get install pcscd)");
    if (!vpcd)
      throw new RigError(
        "vpcd-missing",
        "the vpcd reader driver is not installed (Debian/Ubuntu: apt-get install vsmartcard-vpcd)",
      );
    const other = runningPcscd();
    if (other !== null)
      throw new RigError(
        "pcscd-running",
        `another pcscd (pid ${other}) is running; the built-in virtual card needs its own. ` +
          "Stop it first (sudo systemctl stop pcscd.socket pcscd.service) or use a real reader.",
      );
    if (typeof process.getuid === "function" && process.getuid() !== 0 && !existsSync("/run/pcscd"))
      throw new RigError("not-root", "starting a private pcscd needs root (it creates /run/pcscd); run with sudo");

    if (listeningPorts().has(port) || listeningPorts().has(port + 1))
      throw new RigError("port-in-use", `TCP port ${port} or ${port + 1} is already in use; vpcd needs both`);
    const endpoint = new VpcdEndpoint(port, { onApdu: options.onApdu });

    const dir = mkdtempSync(join(tmpdir(), "jpki-guard-pcscd-"));
    const conf = join(dir, "reader.conf");
    writeFileSync(
      conf,
      [
        `FRIENDLYNAME "${READER_FRIENDLY_NAME}"`,
        `DEVICENAME   /dev/null:0x${port.toString(16).toUpperCase()}`,
        `LIBPATH      ${vpcd}`,
        `CHANNELID    0x${port.toString(16).toUpperCase()}`,
        "",
      ].join("\n"),
    );
    const logFile = join(dir, "pcscd.log");
    // -d: pcscd logs card insertion and removal, which the rig waits for; -a adds APDUs.
    const args = ["-f", "-d", "-c", conf, ...(options.log ? ["-a"] : [])];
    const rig = new PcscdRig(endpoint, dir, logFile, pcscd, args);
    process.on("exit", rig.exitHook);
    try {
      await rig.spawnPcscd(options.card ?? null);
    } catch (e) {
      await rig.stop();
      throw e;
    }
    return rig;
  }

  private async spawnPcscd(card: CardModel | null): Promise<void> {
    const fd = openSync(this.logFile, "a");
    const child = spawn(this.pcscdPath, this.args, { stdio: ["ignore", fd, fd], detached: false });
    closeSync(fd);
    this.child = child;
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    await Promise.race([
      this.waitReady(card),
      exited.then((code) => {
        throw new RigError("pcscd-failed", `pcscd exited (code ${code}) during start-up:\n${this.logTail()}`);
      }),
    ]);
  }

  /** The card that stays in the reader while the PC/SC service is down (a physical card stays inserted). */
  private parked: CardModel | null = null;

  /**
   * Stop the PC/SC service as a package upgrade or Windows would: pcscd
   * exits; the card stays "in the reader" and comes back with the service.
   */
  async stopService(): Promise<void> {
    this.parked = this.endpoint.inserted ?? this.parked;
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null || !c.pid) return;
    const gone = new Promise<void>((r) => c.once("exit", () => r()));
    process.kill(c.pid, "SIGTERM");
    const timer = setTimeout(() => {
      if (c.exitCode === null && c.pid) process.kill(c.pid, "SIGKILL");
    }, 3000);
    await gone;
    clearTimeout(timer);
    this.endpoint.remove(); // the socket is gone with pcscd; the card model is kept in `parked`
    // pcscd removes its socket on a clean exit; wait for that so "ready" means the new one.
    const deadline = Date.now() + 5000;
    while (existsSync(PCSCD_SOCKET) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  }

  /** Start the PC/SC service again; the card that was in the reader is seen again. */
  async startService(): Promise<void> {
    const card = this.parked;
    this.parked = null;
    await this.spawnPcscd(card);
  }

  async restartService(): Promise<void> {
    await this.stopService();
    await this.startService();
  }

  /** Whether the private pcscd runs now. */
  get serviceRunning(): boolean {
    const c = this.child;
    return !!c && c.exitCode === null && c.signalCode === null;
  }

  private async waitReady(card: CardModel | null): Promise<void> {
    const deadline = Date.now() + 15_000;
    // pcscd creates its socket when its readers are up; vpcd listens once its slot is.
    while (!existsSync(PCSCD_SOCKET) || !listeningPorts().has(this.endpoint.port)) {
      if (Date.now() > deadline)
        throw new RigError("pcscd-failed", `pcscd did not bring the virtual reader up in time:\n${this.logTail()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    if (card) await this.insert(card);
  }

  logTail(): string {
    try {
      return readFileSync(this.logFile, "utf8").split("\n").slice(-20).join("\n");
    } catch {
      return "(no pcscd log)";
    }
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Bytes of pcscd's log so far. */
  private logSize(): number {
    try {
      return statSync(this.logFile).size;
    } catch {
      return 0;
    }
  }

  /** Wait until pcscd's log, after `from`, contains `needle`. */
  private async waitForLog(needle: string, from: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const size = this.logSize();
      if (size > from) {
        const fd = openSync(this.logFile, "r");
        try {
          const buf = Buffer.alloc(size - from);
          readSync(fd, buf, 0, buf.length, from);
          if (buf.toString("utf8").includes(needle)) return true;
        } finally {
          closeSync(fd);
        }
      }
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /**
   * Insert a card and wait until pcscd's event thread has seen it ("Card
   * inserted" in its log), so every PC/SC client sees it and its card-event
   * counter has moved.
   */
  async insert(card: CardModel): Promise<void> {
    const from = this.logSize();
    await this.endpoint.insert(card);
    if (!(await this.waitForLog(`Card inserted into ${this.readerName}`, from, 10_000)))
      throw new RigError("pcscd-failed", `pcscd did not report the inserted card:\n${this.logTail()}`);
  }

  /**
   * Pull the card out and wait until pcscd's event thread has seen it go.
   * (A card swapped faster than pcscd polls would otherwise never count as
   * removed: a connect in between re-powers the new card without an event.)
   */
  async remove(): Promise<void> {
    const had = this.endpoint.inserted !== null;
    const from = this.logSize();
    this.endpoint.remove();
    if (had && !(await this.waitForLog(`Card Removed From ${this.readerName}`, from, 10_000)))
      throw new RigError("pcscd-failed", `pcscd did not report the card removal:\n${this.logTail()}`);
  }

  /** Remove one card and insert another. */
  async swap(card: CardModel): Promise<void> {
    await this.remove();
    await this.insert(card);
  }

  private killNow(): void {
    const c = this.child;
    if (c && c.exitCode === null && c.pid) {
      try {
        process.kill(c.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    process.off("exit", this.exitHook);
    const c = this.child;
    if (c && c.exitCode === null && c.signalCode === null && c.pid) {
      const gone = new Promise<void>((r) => c.once("exit", () => r()));
      process.kill(c.pid, "SIGTERM");
      const timer = setTimeout(() => {
        if (c.exitCode === null) process.kill(c.pid!, "SIGKILL");
      }, 3000);
      await gone;
      clearTimeout(timer);
    }
    await this.endpoint.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function tcpTable(): Array<{ local: number; state: string }> {
  const rows: Array<{ local: number; state: string }> = [];
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 4) continue;
      const local = Number.parseInt(cols[1]!.split(":")[1]!, 16);
      rows.push({ local, state: cols[3]! });
    }
  }
  return rows;
}

/** Local TCP ports in LISTEN state (Linux /proc/net/tcp). */
function listeningPorts(): Set<number> {
  return new Set(
    tcpTable()
      .filter((r) => r.state === "0A")
      .map((r) => r.local),
  );
}
