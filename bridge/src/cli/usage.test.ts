/** The one usage table and what is rendered from it: every command's --help, the manual page, the README. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { VERSION } from "../version.js";
import { COMMANDS } from "./commands-table.js";
import { PARSE_OPTIONS } from "./main.js";
import { cli } from "./test-support/terminal.js";
import {
  commandHelp,
  findCommand,
  globalHelp,
  manPage,
  README_END,
  README_START,
  readmeCommands,
} from "./usage-render.js";

const root = (p: string) => new URL(`../../../${p}`, import.meta.url);
/** The first Japanese character's position: Japanese must come before the English of the same text. */
const firstJapanese = (s: string) => s.search(/[\u3040-\u30ff\u4e00-\u9fff]/u);

describe("jpki-guard COMMAND --help", () => {
  it.each(COMMANDS.map((c) => [c.name]))("%s --help: exit 0, its usage, Japanese before English", async (name) => {
    const row = COMMANDS.find((c) => c.name === name)!;
    const r = await cli([...name.split(" "), "--help"]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toContain(`jpki-guard ${name}`);
    expect(r.stdout.indexOf(row.ja.slice(0, 12))).toBeGreaterThan(-1);
    expect(r.stdout.indexOf(row.ja.slice(0, 12))).toBeLessThan(
      r.stdout.indexOf(row.en.split(" ").slice(0, 3).join(" ")),
    );
    for (const o of row.options) expect(r.stdout).toContain(o.flag);
    // -h and "help COMMAND" say the same.
    expect((await cli([...name.split(" "), "-h"])).stdout).toBe(r.stdout);
    expect((await cli(["help", name.split(" ")[0]!])).stdout).toBe(r.stdout);
  });

  it("guidance --help (without the verb) answers for guidance validate", async () => {
    const r = await cli(["guidance", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("jpki-guard guidance validate FILE");
  });

  it("--help of an unknown command is still a usage error", async () => {
    const r = await cli(["frobnicate", "--help"]);
    expect(r.code).toBe(64);
    expect(r.stdout).toBe("");
  });

  it("jpki-guard --help lists every command, Japanese first", async () => {
    const r = await cli(["--help"]);
    expect(r.code).toBe(0);
    expect(firstJapanese(r.stdout)).toBeLessThan(r.stdout.indexOf("Will my"));
    for (const c of COMMANDS) expect(r.stdout).toContain(`jpki-guard ${c.name}`);
    expect(r.stdout).toBe(globalHelp(VERSION, true));
  });

  it("the release build lists no development command or option", () => {
    const help = globalHelp(VERSION, false);
    expect(help).not.toMatch(/--virtual|jpki-guard demo|jpki-guard profiles/);
    expect(findCommand("demo", false)).toBeUndefined();
    expect(commandHelp(findCommand("check", false)!, VERSION, false)).not.toContain("--virtual");
  });
});

describe("the usage table matches the parser", () => {
  it("every option in the table is one the parser accepts, and every parser option is in the table", () => {
    const inTable = new Set(COMMANDS.flatMap((c) => c.options.map((o) => o.flag.split(" ")[0]!.slice(2))));
    expect([...inTable].sort()).toEqual(Object.keys(PARSE_OPTIONS).sort());
  });
});

describe("generated from the table", () => {
  it("docs/jpki-guard.1 is current (regenerate: node_modules/.bin/tsx scripts/gen-usage.mts)", () => {
    expect(readFileSync(root("docs/jpki-guard.1"), "utf8")).toBe(manPage(VERSION));
  });

  it("the manual page names every release command and no development one", () => {
    const man = manPage(VERSION);
    for (const c of COMMANDS.filter((c) => !c.dev)) expect(man).toContain(`.SS ${c.name.replaceAll("-", "\\-")}`);
    expect(man).not.toMatch(/virtual|\.SS demo|\.SS profiles/);
  });

  it("README.md's command list is current", () => {
    const readme = readFileSync(root("README.md"), "utf8");
    const a = readme.indexOf(README_START);
    const b = readme.indexOf(README_END);
    expect(readme.slice(a, b + README_END.length)).toBe(readmeCommands());
  });

  it("setup.sh's closing hint names a command that works", async () => {
    const setup = readFileSync(root("scripts/setup.sh"), "utf8");
    const hint = /Next: pnpm jpki-guard ([^"]+)"/.exec(setup);
    expect(hint).not.toBeNull();
    const r = await cli(hint![1]!.trim().split(/\s+/));
    expect(r.code).toBe(0);
  });
});
