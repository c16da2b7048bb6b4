/**
 * Renders the one usage table (commands-table.ts) as the CLI's help, the
 * manual page jpki-guard(1) and the README's command list. Japanese first,
 * English second, everywhere.
 */
import LOCATIONS from "../install/locations.json";
import { COMMANDS, EXIT_CODES, SUMMARY, type UsageCommand, type UsageOption } from "./commands-table.js";

/** Commands of this build: the development ones only where the virtual card exists. */
export function commandsFor(dev: boolean): UsageCommand[] {
  return COMMANDS.filter((c) => dev || !c.dev);
}

const optionsFor = (c: UsageCommand, dev: boolean) => c.options.filter((o) => dev || !o.dev);

/** The table's row for what was typed (`guidance` finds "guidance validate"), or undefined. */
export function findCommand(typed: string, dev: boolean): UsageCommand | undefined {
  return commandsFor(dev).find((c) => c.name === typed || c.name.split(" ")[0] === typed);
}

/** Terminal columns of a string: East Asian wide characters take two. */
function width(s: string): number {
  let n = 0;
  for (const ch of s)
    n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch)
      ? 2
      : 1;
  return n;
}

/**
 * Wraps to `cols` columns: at spaces in English, after any wide character in
 * Japanese (where a line may break), never inside a word or an option.
 */
export function wrap(text: string, cols: number): string[] {
  // Break opportunities: after a space, or after a wide character that is not followed by closing punctuation.
  const tokens = text.match(
    /[^\s\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]+\s*|[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef][、。)」』,.]*\s*/gu,
  ) ?? [text];
  const lines: string[] = [];
  let line = "";
  for (const t of tokens) {
    if (line && width(line + t.trimEnd()) > cols) {
      lines.push(line.trimEnd());
      line = "";
    }
    line += t;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

const indent = (lines: string[], n: number) => lines.map((l) => `${" ".repeat(n)}${l}`).join("\n");

/** "jpki-guard check [--json] [--reader NAME] ..." wrapped under the name. */
export function synopsis(c: UsageCommand, dev: boolean, cols = 78): string {
  const head = `jpki-guard ${c.name}${c.args ? ` ${c.args}` : ""}`;
  const opts = optionsFor(c, dev).map((o) => `[${o.flag}]`);
  const lines: string[] = [];
  let line = head;
  for (const o of opts) {
    if (line !== head && width(`${line} ${o}`) > cols) {
      lines.push(line);
      line = " ".repeat(head.length);
    }
    line += ` ${o}`;
  }
  lines.push(line);
  return lines.join("\n");
}

/** `jpki-guard --help`: every command with its synopsis and what it does, then the exit codes. */
export function globalHelp(version: string, dev: boolean): string {
  const cmds = commandsFor(dev)
    .map(
      (c) =>
        `${indent(synopsis(c, dev, 76).split("\n"), 2)}\n${indent(wrap(c.ja, 70), 6)}\n${indent(wrap(c.en, 70), 6)}`,
    )
    .join("\n");
  const exits = EXIT_CODES.map(([n, ja, en]) => `  ${String(n).padEnd(3)}${ja} / ${en}`).join("\n");
  return `jpki-guard ${version}: ${SUMMARY.ja}
${" ".repeat(`jpki-guard ${version}: `.length)}${SUMMARY.en[0]!.toUpperCase()}${SUMMARY.en.slice(1)}

使い方 / Usage:
${cmds}
  jpki-guard COMMAND --help
      コマンドごとの説明とオプション。
      One command's options in full.
  jpki-guard --help | --version

終了コード / Exit codes:
${exits}
`;
}

function optionText(o: UsageOption): string {
  return `  ${o.flag}\n${indent(wrap(o.ja, 70), 6)}\n${indent(wrap(o.en, 70), 6)}`;
}

/** `jpki-guard COMMAND --help`: the command's synopsis, what it does, each option, examples. */
export function commandHelp(c: UsageCommand, version: string, dev: boolean): string {
  const opts = optionsFor(c, dev);
  const examples = (c.examples ?? []).map(([cmd, what]) => `  jpki-guard ${cmd}\n      ${what}`);
  return `jpki-guard ${version} ${c.name}

使い方 / Usage:
${indent(synopsis(c, dev, 76).split("\n"), 2)}

${wrap(c.ja, 76).join("\n")}
${wrap(c.en, 76).join("\n")}
${opts.length ? `\nオプション / Options:\n${opts.map(optionText).join("\n")}\n` : ""}${examples.length ? `\n例 / Examples:\n${examples.join("\n")}\n` : ""}
終了コード / Exit codes: jpki-guard --help
`;
}

// --- the manual page ---------------------------------------------------------------------------

/** roff text: backslashes escaped, hyphens as minus signs, no line starting with a control character. */
function roff(s: string): string {
  const t = s.replaceAll("\\", "\\e").replaceAll("-", "\\-");
  return /^[.']/.test(t) ? `\\&${t}` : t;
}

/**
 * Japanese text for troff: groff cannot break a line inside Japanese (no
 * spaces), so it is wrapped here and set without filling.
 */
function roffJa(s: string): string {
  return [".nf", ...wrap(s, 56).map(roff), ".fi"].join("\n");
}

/** jpki-guard(1) for the release packages (no development commands). */
export function manPage(version: string): string {
  const out: string[] = [
    `.\\" Generated from bridge/src/cli/commands-table.ts by scripts/gen-usage.mts: do not edit.`,
    `.TH JPKI\\-GUARD 1 "" "jpki\\-guard ${version}" "User Commands"`,
    ".SH NAME",
    "jpki\\-guard \\- check a My Number card before Mynaportal login or e\\-Tax signing",
    ".SH SYNOPSIS",
  ];
  for (const c of commandsFor(false)) {
    out.push(".B jpki\\-guard", `${roff(c.name)}${c.args ? ` ${roff(c.args)}` : ""} [\\fIOPTIONS\\fR]`, ".br");
  }
  out.push(".B jpki\\-guard", "\\fICOMMAND\\fR \\-\\-help", ".br", ".B jpki\\-guard", "\\-\\-help | \\-\\-version");
  out.push(
    ".SH DESCRIPTION",
    roffJa(SUMMARY.ja),
    ".PP",
    roff(
      "jpki-guard reads a My Number card through PC/SC before Mynaportal login or e-Tax signing and tells whether its JPKI certificates and PIN counters will work, and what to do next. It never spends a PIN try unless read-signature is run.",
    ),
    ".SH COMMANDS",
  );
  for (const c of commandsFor(false)) {
    out.push(`.SS ${roff(c.name)}${c.args ? ` ${roff(c.args)}` : ""}`, roffJa(c.ja), ".PP", roff(c.en));
    for (const o of optionsFor(c, false)) {
      out.push(".TP", `.B ${roff(o.flag)}`, roffJa(o.ja), roff(o.en));
    }
  }
  out.push(".SH EXIT STATUS");
  for (const [n, ja, en] of EXIT_CODES) out.push(".TP", `.B ${n}`, roffJa(ja), roff(en));
  out.push(".SH EXAMPLES");
  for (const c of commandsFor(false))
    for (const [cmd, what] of c.examples ?? []) out.push(".TP", `.B jpki\\-guard ${roff(cmd)}`, roff(what));
  out.push(
    ".SH FILES",
    ".TP",
    `.B ${roff(LOCATIONS.release.linux)}`,
    roff(
      "the card bridge as the Debian package installs it: its own Node runtime, the application, the native-messaging host",
    ),
    ...Object.values(LOCATIONS.linuxSystem)
      .filter((d, i, all) => all.indexOf(d) === i)
      .flatMap((d) => [".TP", `.B ${roff(d)}`, roff("where a browser reads the host's manifest")]),
    ".SH SEE ALSO",
    ".BR pcscd (8)",
    "",
  );
  return out.join("\n");
}

// --- the README ------------------------------------------------------------------------------------

export const README_START =
  "<!-- commands: generated from bridge/src/cli/commands-table.ts by scripts/gen-usage.mts -->";
export const README_END = "<!-- /commands -->";

/** The README's command list: examples as typed in a checkout, then one line per command. */
export function readmeCommands(): string {
  const all = commandsFor(true);
  const ex = all.flatMap((c) => (c.examples ?? []).map(([cmd, what]) => [`pnpm jpki-guard ${cmd}`, what] as const));
  const w = 44;
  const block = ex.map(([cmd, what]) => `${cmd}${" ".repeat(Math.max(1, w - width(cmd)))} # ${what}`).join("\n");
  const list = all
    .map(
      (c) =>
        `- \`jpki-guard ${c.name}${c.args ? ` ${c.args}` : ""}\`${c.dev ? " (checkout only)" : ""}: ${c.ja} ${c.en}`,
    )
    .join("\n");
  return `${README_START}
\`\`\`sh
${block}
\`\`\`

Every command (\`jpki-guard COMMAND --help\` gives its options; the release packages carry the manual page \`man jpki-guard\`, \`docs/jpki-guard.1\`):

${list}
${README_END}`;
}
