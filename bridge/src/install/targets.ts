/**
 * Where each browser looks for native-messaging host manifests, per OS and
 * scope. Sources: Chrome's and Firefox's native-messaging documentation;
 * Chromium-based browsers follow Chrome's scheme under their own config
 * directory. Paths marked "(single source)" could not be confirmed in two
 * places; `doctor` shows what was written so a help desk can check.
 */
import { posix, win32 } from "node:path";
import { HOST_NAME } from "@jpki-guard/shared/protocol-constants";
import CLEAN_ENV from "./launcher-env.json";
import LOCATIONS from "./locations.json";

export const BROWSERS = ["chrome", "chromium", "edge", "brave", "vivaldi", "firefox"] as const;
export type Browser = (typeof BROWSERS)[number];
export type Platform = "linux" | "darwin" | "win32";
export type Scope = "user" | "system";

export { HOST_NAME } from "@jpki-guard/shared/protocol-constants";

/** Each browser's name as people know it. */
export const BROWSER_NAMES: Record<Browser, string> = {
  chrome: "Chrome",
  chromium: "Chromium",
  edge: "Edge",
  brave: "Brave",
  vivaldi: "Vivaldi",
  firefox: "Firefox",
};

export function isFirefox(b: Browser): boolean {
  return b === "firefox";
}

/** Directory that holds `<HOST_NAME>.json` (Linux, macOS). */
export function manifestDir(b: Browser, platform: "linux" | "darwin", scope: Scope, home: string): string {
  const j = posix.join;
  if (platform === "linux") {
    if (scope === "user") {
      const cfg = j(home, ".config");
      return {
        chrome: j(cfg, "google-chrome", "NativeMessagingHosts"),
        chromium: j(cfg, "chromium", "NativeMessagingHosts"),
        edge: j(cfg, "microsoft-edge", "NativeMessagingHosts"),
        brave: j(cfg, "BraveSoftware", "Brave-Browser", "NativeMessagingHosts"),
        vivaldi: j(cfg, "vivaldi", "NativeMessagingHosts"),
        firefox: j(home, ".mozilla", "native-messaging-hosts"),
      }[b];
    }
    // Brave reads Chrome's system directory (single source); Vivaldi's (single source).
    return LOCATIONS.linuxSystem[b];
  }
  if (scope === "user") {
    const as = j(home, "Library", "Application Support");
    return {
      chrome: j(as, "Google", "Chrome", "NativeMessagingHosts"),
      chromium: j(as, "Chromium", "NativeMessagingHosts"),
      edge: j(as, "Microsoft Edge", "NativeMessagingHosts"),
      brave: j(as, "BraveSoftware", "Brave-Browser", "NativeMessagingHosts"),
      vivaldi: j(as, "Vivaldi", "NativeMessagingHosts"),
      firefox: j(as, "Mozilla", "NativeMessagingHosts"),
    }[b];
  }
  return {
    chrome: "/Library/Google/Chrome/NativeMessagingHosts",
    chromium: "/Library/Application Support/Chromium/NativeMessagingHosts",
    edge: "/Library/Microsoft/Edge/NativeMessagingHosts",
    brave: "/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts", // (single source)
    vivaldi: "/Library/Application Support/Vivaldi/NativeMessagingHosts", // (single source)
    firefox: "/Library/Application Support/Mozilla/NativeMessagingHosts",
  }[b];
}

/** Windows: the registry key whose default value is the manifest's path (ours, or another host's by name). */
export function registryKey(b: Browser, scope: Scope, host: string = HOST_NAME): string {
  const root = scope === "user" ? "HKCU" : "HKLM";
  const vendor = LOCATIONS.windowsRegistry[b]; // Vivaldi's: single source
  return `${root}\\${vendor}\\NativeMessagingHosts\\${host}`;
}

/** Windows' reg.exe by its absolute path (%SystemRoot%\System32), never whatever "reg" PATH finds first. */
export function regExe(env: NodeJS.ProcessEnv): string {
  const root = env.SystemRoot ?? env.SYSTEMROOT ?? env.windir ?? "C:\\Windows";
  return win32.join(root, "System32", "reg.exe");
}

export function regAddCommand(b: Browser, scope: Scope, manifestPath: string, env: NodeJS.ProcessEnv): string[] {
  return [regExe(env), "add", registryKey(b, scope), "/ve", "/t", "REG_SZ", "/d", manifestPath, "/f"];
}

export function regDeleteCommand(b: Browser, scope: Scope, env: NodeJS.ProcessEnv): string[] {
  return [regExe(env), "delete", registryKey(b, scope), "/f"];
}

/** Where the launcher and (on Windows) the manifests live. */
export function installDir(platform: Platform, scope: Scope, home: string, env: NodeJS.ProcessEnv): string {
  if (platform === "win32") {
    const base =
      scope === "user"
        ? (env.LOCALAPPDATA ?? win32.join(home, "AppData", "Local"))
        : (env.ProgramData ?? "C:\\ProgramData");
    return win32.join(base, "jpki-guard");
  }
  if (platform === "darwin")
    return scope === "user"
      ? posix.join(home, "Library", "Application Support", "jpki-guard")
      : "/Library/Application Support/jpki-guard";
  return scope === "user"
    ? posix.join(env.XDG_DATA_HOME ?? posix.join(home, ".local", "share"), "jpki-guard")
    : "/usr/local/lib/jpki-guard";
}

/** The launcher: absolute node, absolute host script, so a browser without the user's PATH finds both. */
export function launcherScript(platform: Platform, node: string, hostScript: string, origins: string[]): string {
  if (platform === "win32") {
    // In a .bat file "%" starts a variable even inside quotes: a folder named "100%" must be written "100%%".
    const bat = (s: string) => s.replaceAll("%", "%%");
    return `@echo off\r\n${CLEAN_ENV.bat.join("\r\n")}\r\nset "JPKI_GUARD_ALLOWED_ORIGINS=${bat(origins.join(","))}"\r\n"${bat(node)}" "${bat(hostScript)}" %*\r\n`;
  }
  const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
  return `#!/bin/sh\n# jpki-guard native-messaging host launcher (written by jpki-guard install)\n${CLEAN_ENV.sh.join("\n")}\nJPKI_GUARD_ALLOWED_ORIGINS=${q(origins.join(","))}\nexport JPKI_GUARD_ALLOWED_ORIGINS\nexec ${q(node)} ${q(hostScript)} "$@"\n`;
}
