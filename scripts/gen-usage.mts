// Regenerates what the CLI's one usage table (bridge/src/cli/commands-table.ts) feeds besides --help:
// the manual page docs/jpki-guard.1 (the .deb and the macOS archive carry it) and the README's command
// list (between its markers). A unit test (bridge/src/cli/usage.test.ts) fails when either is stale.
//
//   node_modules/.bin/tsx scripts/gen-usage.mts
import { readFileSync, writeFileSync } from "node:fs";
import { manPage, README_END, README_START, readmeCommands } from "../bridge/src/cli/usage-render.js";
import { VERSION } from "../bridge/src/version.js";

const url = (p: string) => new URL(`../${p}`, import.meta.url);
writeFileSync(url("docs/jpki-guard.1"), manPage(VERSION));
const readme = readFileSync(url("README.md"), "utf8");
const a = readme.indexOf(README_START);
const b = readme.indexOf(README_END);
if (a < 0 || b < a) throw new Error(`README.md has no ${README_START} ... ${README_END} block`);
writeFileSync(url("README.md"), `${readme.slice(0, a)}${readmeCommands()}${readme.slice(b + README_END.length)}`);
