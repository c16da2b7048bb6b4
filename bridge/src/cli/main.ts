/**
 * jpki-guard: command-line interface. Same facts and verdict as the
 * extension (rules in @jpki-guard/shared). stdout carries the result; all
 * diagnostics go to stderr.
 *
 * This module parses the command line, prints the help and turns errors into
 * exit codes: each command's code (and pkijs, zod, koffi behind it) is
 * loaded only when that command runs, so `--help` and `--version` load
 * nothing else.
 */
import { parseArgs } from "node:util";
import { ERROR_TABLE, isJpkiGuardError } from "@jpki-guard/shared/errors";
import { type ErrorSystem, SYSTEMS } from "@jpki-guard/shared/help-desk-systems";
import { VERSION } from "../version.js";
import { EXIT } from "./exit.js";
import { type Options, type Out, parseOnDate } from "./options.js";
import { UsageError } from "./usage.js";
import { DEVELOPMENT, profileList } from "./virtual.js";

export { VERSION } from "../version.js";
export { EXIT } from "./exit.js";
export { parseOnDate } from "./options.js";

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
                   [--action login|sign] [--municipality M] [--trace] [--lang ja|en]
      Read the card (no PIN, no PIN try spent) and print facts + verdict.
      --on DATE       judge for another day ("will it still work on 15 March?"),
                      YYYY-MM-DD (Japan time, start of day) or an ISO 8601 instant
      --json          machine-readable: {"facts": ..., "verdict": ...}${DEV_VIRTUAL}
      --municipality M  whose next steps: a local government code (142034), a name
                      (平塚市), kana (ひらつかし), prefecture + name (東京都府中市)
                      or city + ward (大阪市北区); without it, national guidance
                      naming no city. A name held twice is refused with the list.
      --trace         print the APDU trace to stderr: commands and status words with
                      data lengths only (no PIN, no PIN length, no certificate bytes)
  jpki-guard read-signature [--reader NAME]${DEV_CHECK} [--show-personal-data]
                   [--json] [--trace]
      Check the signature certificate with the signature PIN, typed at the
      prompt (or one line on stdin). The format is checked first; with 1 try
      left nothing is sent. Personal data (name, address, birth date, gender)
      is shown only with --show-personal-data.
  jpki-guard doctor [--report FILE] [--reader NAME]${DEV_CHECK} [--trace] [--json]
                   [--municipality M]
      The help desk's checklist: PC/SC service, readers, card, card kind,
      certificates, PIN tries, browser host manifests, versions; each item is
      ok, warn or FAIL as the verdict's findings say, with the next step; exit
      code as for check. --report writes a redacted report (no PIN, serial, CN
      or personal data); --trace prints the APDUs to stderr.
  jpki-guard doctor --read FILE|CODE [--on DATE] [--municipality M] [--json]
      For help desks: a citizen's report file (doctor --report) or the code
      read out on the phone (JG-...; doctor prints it) with the same checklist, the verdicts as of the report's day and
      as of today (or --on), and the next steps for the report's municipality
      (or M). Nothing in the file is run or written; a file over 1 MiB, not
      JSON, of another or newer schema, or with control characters or markup
      is refused (exit 65).${DEV_COMMANDS}
  jpki-guard explain CODE|MESSAGE [--where SYSTEM] [--no-card] [--reader NAME]${DEV_CHECK}
                   [--json] [--lang ja|en] [--municipality M]
      For help desks: what an error code from Mynaportal, e-Tax or the JPKI apps
      (EI123-2008, 115, HJS0432E, EW044-C300, E0008, ...) or a message shown
      without a code (its words, quoted) is reported to mean, with its sources
      and how sure that is (official / third-party / unverified), and whether
      the card in the reader explains it (read without a PIN; --no-card: the
      lookup only). --where: where it was seen (mynaportal, mynaportal-extension,
      mynaportal-smartphone, etax, jpki-smartphone), for codes that mean
      different things in different systems (E0001). Unknown codes get the
      general checklist.
  jpki-guard municipalities [QUERY] [--json]
      Every municipality and designated-city ward (code, prefecture, name,
      kana, whether jpki-guard has curated counter data for it), or those
      matching QUERY (kanji, kana or code).
  jpki-guard guidance validate FILE [--json]
      Check a contributed municipality data file (docs/municipalities.md):
      every problem with its JSON path. Exit 0 valid, 65 invalid.
  jpki-guard install [--browser chrome|chromium|edge|brave|vivaldi|firefox|all]...
                   [--extension-id ID]... [--firefox-id ID]... [--system]
                   [--chromium-user-data-dir DIR]
      Install the native-messaging host for the browsers (default: all) of this
      user (--system: all users; needs root). The launcher runs the host with
      the absolute path of this node. Default ids: the jpki-guard extension's.
  jpki-guard uninstall [--browser ...] [--system] [--chromium-user-data-dir DIR]
  jpki-guard --help | --version${DEV_PROFILES}

Exit codes:
  0  ready            the card will work for the action (doctor: the same verdict)
  1  attention        it will work, but something needs attention
  2  blocked          it will not work as things are
  3  cannot tell      no reader, no card, card busy/removed, PC/SC not running...
  64 usage error      bad command or option
  65 invalid data     guidance validate, doctor --read: the file has problems
  70 failure          an unexpected error (a bug: please report it)
`;

function parseOptions(rest: string[]): Options & { noCard: boolean; where?: ErrorSystem; read?: string } {
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
          municipality: { type: "string" },
          trace: { type: "boolean", default: false },
          lang: { type: "string" },
          report: { type: "string" },
          "show-personal-data": { type: "boolean", default: false },
          browser: { type: "string", multiple: true },
          "extension-id": { type: "string", multiple: true },
          "firefox-id": { type: "string", multiple: true },
          system: { type: "boolean", default: false },
          "chromium-user-data-dir": { type: "string" },
          "no-card": { type: "boolean", default: false },
          where: { type: "string" },
          read: { type: "string" },
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
  if (values.reader !== undefined && (values.reader.length === 0 || values.reader.length > 256))
    throw new UsageError("--reader: give the reader's name as listed by jpki-guard doctor");
  if (values.where !== undefined && !(SYSTEMS as readonly string[]).includes(values.where))
    throw new UsageError(`--where: use one of ${SYSTEMS.join(", ")}`);
  if (values.virtual !== undefined && !DEVELOPMENT)
    throw new UsageError("the built-in virtual card is a development tool; it is not part of this installation");
  return {
    json: values.json!,
    reader: values.reader,
    virtual: values.virtual,
    on: values.on ? parseOnDate(values.on) : new Date(),
    action: values.action,
    municipality: values.municipality,
    trace: values.trace!,
    langs: values.lang ? [values.lang as "ja" | "en"] : ["ja", "en"],
    report: values.report,
    showPersonalData: values["show-personal-data"]!,
    browsers: values.browser,
    extensionIds: values["extension-id"],
    firefoxIds: values["firefox-id"],
    system: values.system!,
    chromiumUserDataDir: values["chromium-user-data-dir"],
    noCard: values["no-card"]!,
    where: values.where as ErrorSystem | undefined,
    read: values.read,
  };
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
    // explain and municipalities take one positional argument, guidance a verb and a file.
    const takesPositional = command === "explain" || command === "municipalities" || command === "guidance";
    const positional = takesPositional && rest[0] !== undefined && !rest[0].startsWith("-") ? rest[0] : null;
    const second =
      command === "guidance" && rest[1] !== undefined && !rest[1].startsWith("-") ? (rest[1] as string) : null;
    const opts = parseOptions(rest.slice((positional === null ? 0 : 1) + (second === null ? 0 : 1)));
    switch (command) {
      case "municipalities":
        if (positional !== null && positional.length > 60) throw new UsageError("municipalities: that is too long");
        return (await import("./commands/municipalities.js")).listMunicipalities(positional, opts, io);
      case "guidance":
        if (positional !== "validate" || second === null)
          throw new UsageError("guidance: use jpki-guard guidance validate FILE");
        return (await import("./commands/guidance.js")).validateGuidance(second, opts, io);
      case "explain":
        if (positional === null)
          throw new UsageError("explain: give the error code, e.g. jpki-guard explain EI123-2008");
        // A code, or the words of a message shown without one.
        if (positional.length > 200) throw new UsageError("explain: that is longer than any error code or message");
        return await (await import("./commands/explain.js")).explain(positional, opts, io);
      case "check":
        return await (await import("./commands/check.js")).check(opts, io);
      case "demo":
        if (!DEVELOPMENT) break;
        return await (await import("./commands/check.js")).check(opts, io, true);
      case "read-signature":
        return await (await import("./commands/read-signature.js")).readSignature(opts, io);
      case "doctor":
        return await (await import("./commands/doctor.js")).doctor(opts, io);
      case "install":
      case "uninstall":
        return await (await import("./commands/install.js")).install(command, opts, io);
      case "profiles":
        for (const [p, d] of await profileList()) io.stdout(`${p.padEnd(18)} ${d}\n`);
        return 0;
    }
    throw new UsageError(`unknown command "${command}" (try jpki-guard --help)`);
  } catch (e) {
    // The message catalog only when there is something to say (start-up stays light).
    const { message } = await import("@jpki-guard/shared/messages");
    if (e instanceof UsageError) {
      // Japanese first; the detail names the option as typed (options are English words).
      io.stderr(
        `jpki-guard: ${message("ja", "usage-error")} / ${message("en", "usage-error")}\n            ${e.message}\n`,
      );
      return EXIT.usage;
    }
    if (isJpkiGuardError(e)) {
      // The one serializer and the one table: the sentence (Japanese first, then English), the exit code.
      const { errorSentence, serializeError } = await import("@jpki-guard/shared/error-body");
      const answer = serializeError(e);
      const problem = e.code === "pin-format" && typeof e.detail?.problem === "string" ? e.detail.problem : null;
      const lines = (["ja", "en"] as const).map(
        (l) => `${errorSentence(l, answer)}${problem ? ` ${message(l, `pin-format.signature.${problem}`)}` : ""}`,
      );
      // The technical detail last: this user's own terminal, so it may name what they typed.
      const detail = lines[1]!.includes(e.message) ? e.code : `${e.code}: ${e.message}`;
      io.stderr(`jpki-guard: ${lines[0]}\n            ${lines[1]}\n            (${detail})\n`);
      return EXIT[ERROR_TABLE[answer.code].exit];
    }
    io.stderr(`jpki-guard: unexpected error: ${(e as Error)?.stack ?? e}\n`);
    return EXIT.failure;
  }
}
