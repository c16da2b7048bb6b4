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
import { commandHelp, findCommand, globalHelp } from "./usage-render.js";
import { DEVELOPMENT, profileList } from "./virtual.js";

export { VERSION } from "../version.js";
export { EXIT } from "./exit.js";
export { parseOnDate } from "./options.js";

/** `jpki-guard --help`, rendered from the one usage table (commands-table.ts). */
export const HELP = globalHelp(VERSION, DEVELOPMENT);

/** What the parser accepts; the usage table lists the same (usage.test.ts). */
export const PARSE_OPTIONS = {
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
} as const satisfies NonNullable<Parameters<typeof parseArgs>[0]>["options"];

function parseOptions(rest: string[]): Options & { noCard: boolean; where?: ErrorSystem; read?: string } {
  const { values } = (() => {
    try {
      return parseArgs({
        args: rest,
        strict: true,
        allowPositionals: false,
        options: PARSE_OPTIONS,
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
    if (command === "help" && rest[0] !== undefined) return await main([rest[0], "--help"], io);
    if (!command || command === "--help" || command === "-h" || command === "help") {
      io.stdout(HELP);
      return command ? 0 : EXIT.usage;
    }
    if (command === "--version" || command === "-v") {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    // `jpki-guard COMMAND --help` (anywhere after the command): that command's usage, exit 0.
    if (rest.includes("--help") || rest.includes("-h")) {
      const row = findCommand(command, DEVELOPMENT);
      if (!row) throw new UsageError(`unknown command "${command}" (try jpki-guard --help)`);
      io.stdout(commandHelp(row, VERSION, DEVELOPMENT));
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
