// The release packages' launchers and the macOS scripts, from one source each: the variables every
// launcher clears (bridge/src/install/launcher-env.json, also used by `jpki-guard install`) and the
// host's name (shared/src/native-host.json). Used by scripts/lib/package.mjs; tested by
// scripts/lib/launchers.test.ts.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const readJson = (rel) => JSON.parse(readFileSync(join(ROOT, rel), "utf8"));
export const CLEAN_ENV = readJson("bridge/src/install/launcher-env.json");
const HOST_NAME = readJson("shared/src/native-host.json").name;

/** A POSIX sh launcher: clears the environment, then runs the installed Node on the installed app. */
export const shLauncher = (dir, script) =>
  `#!/bin/sh\n${CLEAN_ENV.sh.join("\n")}\nexec "${dir}/node" "${dir}/app/${script}" "$@"\n`;

/** A Windows launcher beside node.exe: the same, with setlocal so a console keeps its own variables. */
export const batLauncher = (script) =>
  `@echo off\r\n${CLEAN_ENV.bat.join("\r\n")}\r\n"%~dp0node.exe" "%~dp0app\\${script}" %*\r\n`;

/** scripts/release/<name> with its placeholders filled: @HOST_NAME@, @CLEAN_ENV@. */
export function releaseScript(name) {
  return readFileSync(join(ROOT, "scripts/release", name), "utf8")
    .replaceAll("@HOST_NAME@", HOST_NAME)
    .replaceAll("@CLEAN_ENV@", CLEAN_ENV.sh.join("\n"));
}
