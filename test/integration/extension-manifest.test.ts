/**
 * The built extension's manifests, pinned (security): which permissions,
 * which pages the content script runs on, and nothing that lets a page reach
 * the extension (externally_connectable) or probe for it
 * (web_accessible_resources). A change here is a decision, not an accident.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PORTALS = [
  "https://shinsei.e-gov.go.jp/*",
  "https://*.e-tax.nta.go.jp/*",
  "https://*.myna.go.jp/*",
  "https://myna.go.jp/*",
  "https://www.keisan.nta.go.jp/*",
];

describe.each(["chrome-mv3", "firefox-mv3"])("%s manifest", (target) => {
  const file = join(ROOT, "extension/.output", target, "manifest.json");
  if (!existsSync(file)) throw new Error(`${file} is missing: run pnpm build first`);
  const m = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;

  it("asks for exactly these permissions, and for web sites only optionally", () => {
    expect(m.permissions).toEqual(["nativeMessaging", "storage", "alarms", "notifications", "scripting"]);
    expect(m.optional_host_permissions).toEqual(["https://*/*"]);
    expect(m.host_permissions).toBeUndefined();
  });

  it("lets no page connect to it or load its files", () => {
    expect(m.externally_connectable).toBeUndefined();
    expect(m.web_accessible_resources).toBeUndefined();
  });

  it("runs its one content script on the portals only, top frames only, in its isolated world", () => {
    const cs = m.content_scripts as Array<Record<string, unknown>>;
    expect(cs).toHaveLength(1);
    expect([...(cs[0]!.matches as string[])].sort()).toEqual([...PORTALS].sort());
    expect(cs[0]!.js).toEqual(["portal.js"]);
    expect(cs[0]!.all_frames).toBeUndefined();
    expect(cs[0]!.world).toBeUndefined();
    expect(cs[0]!.match_about_blank).toBeUndefined();
  });

  it("has exactly the expected top-level keys", () => {
    const common = [
      "action",
      "background",
      "content_scripts",
      "default_locale",
      "description",
      "icons",
      "manifest_version",
      "name",
      "optional_host_permissions",
      "options_ui",
      "permissions",
      "version",
    ];
    // Chrome: the managed-storage schema for an administrator's municipality preset (docs/deploy.md).
    const extra = target === "chrome-mv3" ? ["key", "storage"] : ["browser_specific_settings"];
    expect(Object.keys(m).sort()).toEqual([...common, ...extra].sort());
    if (target === "chrome-mv3") expect(m.storage).toEqual({ managed_schema: "managed-schema.json" });
  });
});

describe.each(["chrome", "firefox"])("%s: the e2e tests' platform hook", (browser) => {
  const built = (suffix: string) => {
    const dir = join(ROOT, "extension/.output", `${browser}-mv3${suffix}`);
    if (!existsSync(join(dir, "background.js"))) throw new Error(`${dir} is missing: run pnpm build first`);
    return {
      background: readFileSync(join(dir, "background.js"), "utf8"),
      manifest: readFileSync(join(dir, "manifest.json"), "utf8"),
    };
  };

  it("is in the e2e build only: the release build has no code that reads it", () => {
    // lib/environment-probe.ts TEST_ENVIRONMENT_KEY, read only when __JPKI_GUARD_E2E__ (lib/build-flags.ts).
    expect(built("").background).not.toContain("jpkiGuardTestEnvironment");
    expect(built("-e2e").background).toContain("jpkiGuardTestEnvironment");
  });

  it("the e2e build's manifest is the release build's (the tests load the same extension otherwise)", () => {
    expect(JSON.parse(built("-e2e").manifest)).toEqual(JSON.parse(built("").manifest));
  });
});
