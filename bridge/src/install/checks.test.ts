import { describe, expect, it } from "vitest";
import { VERSION } from "../version.js";
import { installationKind, installChecks } from "./checks.js";

const HOME = "/home/u";

describe("the doctor's installation items (from the caller, no real home folder)", () => {
  it("tells each release install from a development checkout by the running script's folder", () => {
    expect(installationKind("/usr/lib/jpki-guard/app/jpki-guard.mjs").name).toBe("Debian/Ubuntu package (.deb)");
    expect(installationKind("C:\\Program Files\\jpki-guard\\app\\jpki-guard.mjs").name).toBe(
      "Windows installer, all users (.msi)",
    );
    expect(installationKind("C:\\Users\\u\\AppData\\Local\\Programs\\jpki-guard\\app\\jpki-guard.mjs").name).toBe(
      "Windows installer, this user (.msi)",
    );
    expect(installationKind("/Users/u/Library/Application Support/jpki-guard/app/jpki-guard.mjs").name).toBe(
      "macOS install (install.sh)",
    );
    expect(installationKind("/home/u/src/jpki-guard/bridge/dist/jpki-guard.mjs")).toEqual({
      name: "development checkout",
      host: null,
    });
  });

  it("a .deb install lists the system manifests that point elsewhere or are missing", async () => {
    const files: Record<string, string> = {
      "/etc/chromium/native-messaging-hosts/com.jpki_guard.bridge.json": JSON.stringify({
        path: "/usr/lib/jpki-guard/jpki-guard-host",
      }),
      "/usr/lib/mozilla/native-messaging-hosts/com.jpki_guard.bridge.json": JSON.stringify({ path: "/opt/other" }),
    };
    const items = await installChecks({
      platform: "linux",
      home: HOME,
      env: {},
      script: "/usr/lib/jpki-guard/app/jpki-guard.mjs",
      exists: () => false,
      readFile: (p) => {
        const f = files[p];
        if (f === undefined) throw new Error("ENOENT");
        return f;
      },
    });
    expect(items.map((i) => i.id)).toEqual(["browsers", "official-app", "installation"]);
    // No official app on Linux: information, whatever else is wrong with the installation.
    expect(items[1]).toMatchObject({ ok: true, status: "ok" });
    const inst = items[2]!;
    expect(inst.ok).toBe(false);
    expect(inst.detail).toBe(
      `jpki-guard ${VERSION}, Debian/Ubuntu package (.deb); manifests pointing at it: chromium; missing or elsewhere: chrome, edge, vivaldi, firefox`,
    );
    expect(inst.next?.en).toBeTruthy();
  });
});
