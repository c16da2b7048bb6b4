/**
 * jpki-guard: command-line interface. Same facts and verdict as the
 * extension (rules in @jpki-guard/shared). stdout carries the result; all
 * diagnostics go to stderr.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  type Action,
  type CardFacts,
  DEFAULT_MUNICIPALITY,
  evaluate,
  isJpkiGuardError,
  municipalities,
  municipality,
  type Verdict,
} from "@jpki-guard/shared";
import type { Anchor } from "../cert/facts.js";
import { type CheckResult, checkCard, readSignatureCertificate } from "../check.js";
import type { Transport } from "../transport/types.js";
import { runDoctor } from "./doctor.js";
import { renderCheck } from "./render.js";
import { UsageError } from "./usage.js";
import { DEVELOPMENT, profileList, startVirtualCard } from "./virtual.js";

export { VERSION } from "./version.js";

import { VERSION } from "./version.js";

export const EXIT = {
  ready: 0,
  attention: 1,
  blocked: 2,
  unknown: 3,
  usage: 64,
  failure: 70,
} as const;

const DEV_CHECK = DEVELOPMENT ? " [--virtual PROFILE]" : "";
const DEV_VIRTUAL = DEVELOPMENT
  ? `
      --virtual P     use the built-in virtual card through a private pcscd
                      (a profile name, or a JSON profile file); needs root`
  : "";
const DEV_COMMANDS = DEVELOPMENT
  ? `
  jpki-guard demo
      The main job of a fresh set-up: check the card in the first reader, or,
      when there is no reader with a card, the built-in virtual card (labelled).`
  : "";
const DEV_PROFILES = DEVELOPMENT ? "\n  jpki-guard profiles      list the virtual card profiles" : "";

export const HELP = `jpki-guard ${VERSION}: will my My Number card work for Mynaportal login or e-Tax signing?
マイナンバーカードの電子証明書と暗証番号の状態を、使う前に確認します。

Usage:
  jpki-guard check [--json] [--reader NAME]${DEV_CHECK} [--on DATE]
                   [--action login|sign] [--municipality ID] [--trace] [--lang ja|en]
      Read the card (no PIN, no PIN try spent) and print facts + verdict.
      --on DATE       judge for another day ("will it still work on 15 March?"),
                      YYYY-MM-DD (Japan time, start of day) or an ISO 8601 instant
      --json          machine-readable: {"facts": ..., "verdict": ...}${DEV_VIRTUAL}
      --trace         print the APDU trace to stderr: commands and status words with
                      data lengths only (no PIN, no PIN length, no certificate bytes)
  jpki-guard read-signature [--reader NAME]${DEV_CHECK} [--show-personal-data]
                   [--json] [--trace]
      Check the signature certificate with the signature PIN, typed at the
      prompt (or one line on stdin). The format is checked first; with 1 try
      left nothing is sent. Personal data (name, address, birth date, gender)
      is shown only with --show-personal-data.
  jpki-guard doctor [--report FILE] [--reader NAME]${DEV_CHECK} [--trace] [--json]
      The help desk's checklist: PC/SC service, readers, card, card kind,
      certificates, PIN tries, browser host manifests, versions; each item
      passes or fails with the next step. --report writes a redacted report
      (no PIN, serial, CN or personal data); --trace prints the APDUs to stderr.${DEV_COMMANDS}
  jpki-guard install [--browser chrome|chromium|edge|brave|vivaldi|firefox|all]...
                   [--extension-id ID]... [--firefox-id ID]... [--system]
                   [--chromium-user-data-dir DIR]
      Install the native-messaging host for the browsers (default: all) of this
      user (--system: all users; needs root). The launcher runs the host with
      the absolute path of this node. Default ids: the jpki-guard extension's.
  jpki-guard uninstall [--browser ...] [--system] [--chromium-user-data-dir DIR]
  jpki-guard --help | --version${DEV_PROFILES}

Exit codes:
  0  ready            the card will work for the action (doctor: all items pass)
  1  attention        it will work, but something needs attention (doctor: an item failed)
  2  blocked          it will not work as things are
  3  cannot tell      no reader, no card, card busy/removed, PC/SC not running...
  64 usage error      bad command or option
  70 failure          an unexpected error (a bug: please report it)
`;

type Out = { stdout: (s: string) => void; stderr: (s: string) => void };

interface Common {
  reader?: string;
  virtual?: string;
  trace: boolean;
}

/** A transport for a real reader, or the built-in virtual card behind a private pcscd. */
async function withTransport<T>(
  common: Common,
  io: Out,
  fn: (t: Transport, ctx: { reader?: string; virtual: boolean; anchors: Anchor[] }) => Promise<T>,
): Promise<T> {
  const { PcscTransport } = await import("../transport/pcsc.js");
  if (!common.virtual) {
    const t = new PcscTransport();
    try {
      return await fn(t, { reader: common.reader, virtual: false, anchors: [] });
    } finally {
      await t.close();
    }
  }
  const card = await startVirtualCard(common.virtual);
  io.stderr(
    `jpki-guard: built-in virtual card "${common.virtual}" is in "${card.readerName}" (private pcscd, pid ${card.pid})\n`,
  );
  const t = new PcscTransport();
  try {
    return await fn(t, { reader: card.readerName, virtual: true, anchors: card.anchors });
  } finally {
    await t.close();
    await card.stop();
  }
}

export function parseOnDate(s: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const dt = new Date(Date.UTC(y, mo - 1, d) - 9 * 3600_000);
    const back = new Date(dt.getTime() + 9 * 3600_000);
    if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
      throw new UsageError(`--on ${s}: no such date`);
    return dt;
  }
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(s)) {
    const d = new Date(s);
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw new UsageError(`--on ${s}: use YYYY-MM-DD (Japan time) or an ISO 8601 instant with a zone`);
}

function verdictFor(facts: CardFacts, opts: { on: Date; action: Action; municipality: string }): Verdict {
  return evaluate(facts, { now: opts.on, action: opts.action, municipality: municipality(opts.municipality) });
}

function exitFor(v: Verdict): number {
  return EXIT[v.level];
}

function printTrace(r: { trace?: CheckResult["trace"] }, io: Out): void {
  if (!r.trace) return;
  for (const t of r.trace) io.stderr(`>> ${t.command}\n<< ${t.response}   (${t.ms.toFixed(1)} ms)\n`);
}

async function readPin(io: Out): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    // One line from a pipe, bounded.
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of stdin) {
      size += (c as Buffer).length;
      if (size > 64) throw new UsageError("the PIN on stdin is longer than any JPKI PIN");
      chunks.push(c as Buffer);
      if (Buffer.concat(chunks).includes(0x0a)) break;
    }
    return Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
  }
  io.stderr("署名用の暗証番号 / signature PIN (6-16, 0-9 A-Z): ");
  stdin.setRawMode(true);
  stdin.resume();
  let pin = "";
  try {
    for await (const c of stdin) {
      for (const ch of (c as Buffer).toString("utf8")) {
        if (ch === "\r" || ch === "\n") return pin;
        if (ch === "\u0003") throw new UsageError("cancelled");
        if (ch === "\u007f" || ch === "\b") pin = pin.slice(0, -1);
        else if (pin.length < 32) pin += ch;
      }
    }
    return pin;
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    io.stderr("\n");
  }
}

export async function main(argv: string[], io: Out): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === "--help" || command === "-h" || command === "help") {
      io.stdout(HELP);
      return command ? 0 : EXIT.usage;
    }
    if (command === "--version" || command === "-v") {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    const { values } = (() => {
      try {
        return parseArgs({
          args: rest,
          strict: true,
          allowPositionals: false,
          options: {
            json: { type: "boolean", default: false },
            reader: { type: "string" },
            virtual: { type: "string" },
            on: { type: "string" },
            action: { type: "string", default: "login" },
            municipality: { type: "string", default: DEFAULT_MUNICIPALITY },
            trace: { type: "boolean", default: false },
            lang: { type: "string" },
            report: { type: "string" },
            "show-personal-data": { type: "boolean", default: false },
            browser: { type: "string", multiple: true },
            "extension-id": { type: "string", multiple: true },
            "firefox-id": { type: "string", multiple: true },
            system: { type: "boolean", default: false },
            "chromium-user-data-dir": { type: "string" },
          },
        });
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    })();
    if (values.action !== "login" && values.action !== "sign")
      throw new UsageError(`--action ${values.action}: use login or sign`);
    if (values.lang !== undefined && values.lang !== "ja" && values.lang !== "en")
      throw new UsageError(`--lang ${values.lang}: use ja or en`);
    if (!municipalities().has(values.municipality!))
      io.stderr(`jpki-guard: no guidance data for municipality "${values.municipality}"; using national guidance\n`);
    if (values.reader !== undefined && (values.reader.length === 0 || values.reader.length > 256))
      throw new UsageError("--reader: give the reader's name as listed by jpki-guard doctor");
    const on = values.on ? parseOnDate(values.on) : new Date();
    const langs = values.lang ? [values.lang as "ja" | "en"] : (["ja", "en"] as ("ja" | "en")[]);
    const common: Common = { reader: values.reader, virtual: values.virtual, trace: values.trace! };
    const judge = { on, action: values.action as Action, municipality: values.municipality! };

    switch (command) {
      case "check":
      case "demo": {
        let useVirtual = common.virtual;
        if (command === "demo" && !DEVELOPMENT) throw new UsageError('unknown command "demo" (try jpki-guard --help)');
        if (command === "demo" && !useVirtual) {
          const { PcscTransport } = await import("../transport/pcsc.js");
          const probe = new PcscTransport();
          const readers = await probe.listReaders().catch(() => []);
          await probe.close();
          if (!readers.some((r) => r.cardPresent)) {
            io.stderr("jpki-guard: no reader with a card here; using the built-in virtual card (profile: valid)\n");
            useVirtual = "valid";
          }
        }
        return await withTransport({ ...common, virtual: useVirtual }, io, async (transport, ctx) => {
          const r = await checkCard({
            transport,
            reader: ctx.reader,
            virtual: ctx.virtual,
            trace: common.trace,
            extraAnchors: ctx.anchors,
          });
          printTrace(r, io);
          const verdict = verdictFor(r.facts, judge);
          if (values.json) io.stdout(`${JSON.stringify({ facts: r.facts, verdict }, null, 2)}\n`);
          else io.stdout(`${renderCheck(r.facts, verdict, langs)}\n`);
          return exitFor(verdict);
        });
      }
      case "read-signature": {
        return await withTransport(common, io, async (transport, ctx) => {
          const pin = await readPin(io);
          const r = await readSignatureCertificate({
            transport,
            reader: ctx.reader,
            virtual: ctx.virtual,
            trace: common.trace,
            extraAnchors: ctx.anchors,
            pin,
            includePersonalData: values["show-personal-data"],
          });
          printTrace(r, io);
          const verdict = verdictFor(r.facts, { ...judge, action: "sign" });
          if (values.json)
            io.stdout(
              `${JSON.stringify({ facts: r.facts, verdict, personalData: r.personalData ?? undefined }, null, 2)}\n`,
            );
          else {
            io.stdout(`${renderCheck(r.facts, verdict, langs)}\n`);
            if (r.personalData) {
              io.stdout(
                "\n署名用電子証明書の記載事項 / personal data in the signature certificate (shown because you asked):\n",
              );
              for (const [k, v] of Object.entries(r.personalData)) if (v !== null) io.stdout(`  ${k}: ${v}\n`);
            }
          }
          return exitFor(verdict);
        });
      }
      case "doctor": {
        return await withTransport(common, io, async (transport, ctx) => {
          const report = await runDoctor({
            transport,
            reader: ctx.reader,
            virtual: ctx.virtual,
            anchors: ctx.anchors,
            judge,
            trace: common.trace,
          });
          printTrace(report, io);
          const { trace: _trace, ...redacted } = report;
          if (values.json) io.stdout(`${JSON.stringify(redacted, null, 2)}\n`);
          else io.stdout(`${report.text}\n`);
          if (values.report) {
            writeFileSync(values.report, `${JSON.stringify(redacted, null, 2)}\n`, { mode: 0o600 });
            io.stderr(`jpki-guard: redacted report written to ${values.report}\n`);
          }
          return report.items.every((i) => i.ok) ? 0 : 1;
        });
      }
      case "install":
      case "uninstall": {
        const inst = await import("../install/install.js");
        const { BROWSERS } = await import("../install/targets.js");
        const wanted = values.browser ?? ["all"];
        const browsers = wanted.includes("all") ? [...BROWSERS] : wanted;
        for (const b of browsers)
          if (!(BROWSERS as readonly string[]).includes(b))
            throw new UsageError(`--browser ${b}: use ${BROWSERS.join(", ")} or all`);
        const { dirname, join } = await import("node:path");
        const opts = inst.defaultPlanOptions({
          browsers: browsers as (typeof BROWSERS)[number][],
          scope: values.system ? "system" : "user",
          hostScript: join(dirname(process.argv[1] ?? "."), "jpki-guard-host.mjs"),
          extensionIds: values["extension-id"],
          firefoxIds: values["firefox-id"],
          chromiumUserDataDir: values["chromium-user-data-dir"],
        });
        try {
          inst.validateIds(opts);
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
        const done = inst.execute(command === "install" ? inst.planInstall(opts) : inst.planUninstall(opts));
        for (const d of done) io.stdout(`${d}\n`);
        if (command === "install") {
          const { detectBrowsers } = await import("../install/sandbox.js");
          const { existsSync } = await import("node:fs");
          for (const b of detectBrowsers(opts.home, { exists: existsSync }))
            if (b.support !== "works") io.stderr(`jpki-guard: ${b.text.ja}\n            ${b.text.en}\n`);
          io.stdout(`allowed: ${inst.origins(opts).join(", ")}\n`);
        }
        return 0;
      }
      case "profiles": {
        for (const [p, d] of await profileList()) io.stdout(`${p.padEnd(18)} ${d}\n`);
        return 0;
      }
      default:
        throw new UsageError(`unknown command "${command}" (try jpki-guard --help)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`jpki-guard: ${e.message}\n`);
      return EXIT.usage;
    }
    if (isJpkiGuardError(e)) {
      io.stderr(`jpki-guard: ${e.code}: ${e.message}\n`);
      return e.code === "pin-format" || e.code === "bad-input"
        ? EXIT.usage
        : e.code === "internal"
          ? EXIT.failure
          : EXIT.unknown;
    }
    io.stderr(`jpki-guard: unexpected error: ${(e as Error)?.stack ?? e}\n`);
    return EXIT.failure;
  }
}
