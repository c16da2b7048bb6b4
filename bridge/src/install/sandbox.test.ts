import { describe, expect, it } from "vitest";
import { detectBrowsers, manifestCandidates } from "./sandbox.js";
import { BROWSERS, manifestDir } from "./targets.js";

const HOME = "/home/taro";
const fsOf = (...paths: string[]) => ({ exists: (p: string) => paths.includes(p) });
const SYS_FF = "/usr/lib/mozilla/native-messaging-hosts/com.jpki_guard.bridge.json";
const SYS_CHROMIUM = "/etc/chromium/native-messaging-hosts/com.jpki_guard.bridge.json";
const PROXY = "/usr/libexec/xdg-native-messaging-proxy";
const PROXY_ON = `${HOME}/.config/systemd/user/default.target.wants/xdg-native-messaging-proxy.service`;

describe("Linux browsers by packaging", () => {
  it("snap Firefox (Ubuntu's default) is supported through the portal, with the prompt and how to undo a refusal", () => {
    const [ff, ...rest] = detectBrowsers(HOME, fsOf("/snap/firefox", SYS_FF));
    expect(rest).toEqual([]);
    expect(ff).toMatchObject({
      browser: "firefox",
      packaging: "snap",
      support: "portal",
      manifestFound: true,
      expectedToWork: true,
    });
    expect(ff!.text.ja.startsWith("Firefox(snap)")).toBe(true);
    expect(ff!.text.ja).toContain("許可");
    expect(ff!.text.en).toContain("~/.local/share/flatpak/db/webextensions");
  });

  it("snap Chromium is supported through the portal and reads the system manifest the .deb installs", () => {
    const [c] = detectBrowsers(HOME, fsOf("/snap/chromium", SYS_CHROMIUM));
    expect(c).toMatchObject({ browser: "chromium", packaging: "snap", support: "portal", expectedToWork: true });
  });

  it("a snap browser without any manifest is told to install the package", () => {
    const [c] = detectBrowsers(HOME, fsOf("/snap/chromium"));
    expect(c).toMatchObject({ manifestFound: false, expectedToWork: false });
    expect(c!.text.en).toContain("no host manifest found");
  });

  it("Firefox as a Flatpak: proxy missing, installed but not enabled, enabled", () => {
    const flat = "/var/lib/flatpak/app/org.mozilla.firefox";
    const missing = detectBrowsers(HOME, fsOf(flat, SYS_FF))[0]!;
    expect(missing).toMatchObject({ packaging: "flatpak", support: "needs-proxy", expectedToWork: false });
    expect(missing.text.en).toContain(
      "install your distribution's xdg-native-messaging-proxy".replace("install", "Install"),
    );
    const off = detectBrowsers(HOME, fsOf(flat, SYS_FF, PROXY))[0]!;
    expect(off.expectedToWork).toBe(false);
    expect(off.text.ja).toContain("systemctl --user enable --now xdg-native-messaging-proxy.service");
    const on = detectBrowsers(HOME, fsOf(flat, SYS_FF, PROXY, PROXY_ON))[0]!;
    expect(on).toMatchObject({ expectedToWork: true });
    expect(on.text.en).toContain("Firefox 157");
  });

  it("per-user Flatpaks are found in the home folder", () => {
    const [ff] = detectBrowsers(HOME, fsOf(`${HOME}/.local/share/flatpak/app/org.mozilla.firefox`));
    expect(ff).toMatchObject({ packaging: "flatpak-user" });
  });

  it.each([
    ["com.google.Chrome", "chrome"],
    ["org.chromium.Chromium", "chromium"],
    ["com.microsoft.Edge", "edge"],
    ["com.brave.Browser", "brave"],
    ["com.vivaldi.Vivaldi", "vivaldi"],
  ])("the %s Flatpak is not supported, with the alternative", (id, browser) => {
    const [b] = detectBrowsers(HOME, fsOf(`/var/lib/flatpak/app/${id}`, SYS_CHROMIUM));
    expect(b).toMatchObject({ browser, support: "unsupported", expectedToWork: false });
    expect(b!.text.ja).toContain("ディストリビューションのパッケージ版");
  });

  it("distribution packages work with the system manifest; a wrapper script for a snap is not a distribution package", () => {
    const all = detectBrowsers(
      HOME,
      fsOf("/usr/lib/firefox-esr/firefox-esr", "/usr/lib/chromium/chromium", SYS_FF, SYS_CHROMIUM),
    );
    expect(all.map((b) => [b.browser, b.packaging, b.expectedToWork])).toEqual([
      ["chromium", "native", true],
      ["firefox", "native", true],
    ]);
    // Ubuntu: /usr/bin/firefox exists only as the snap's wrapper.
    expect(detectBrowsers(HOME, fsOf("/usr/bin/firefox", "/snap/firefox")).map((b) => b.packaging)).toEqual(["snap"]);
  });

  it("the manifests a browser reads are where install --system writes them (and the .deb, checked in its own test)", () => {
    for (const b of BROWSERS) {
      const [system, ...rest] = manifestCandidates(b, HOME);
      expect(system).toBe(`${manifestDir(b, "linux", "system", HOME)}/com.jpki_guard.bridge.json`);
      expect(rest.at(-1)).toBe(`${manifestDir(b, "linux", "user", HOME)}/com.jpki_guard.bridge.json`);
    }
  });
});
