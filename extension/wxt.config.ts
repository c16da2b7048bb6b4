import { readFileSync } from "node:fs";
import { FIREFOX_ADDON_ID } from "@jpki-guard/shared/ids";
import { defineConfig } from "wxt";
import { extensionNotices } from "../scripts/lib/components.mjs";
import { buildDefines } from "./lib/build-flags";
import { BUILTIN_PORTAL_PATTERNS, PORTAL_SCRIPT } from "./lib/portals";

const key = JSON.parse(readFileSync(new URL("./extension-key.json", import.meta.url), "utf8")) as { key: string };

export default defineConfig({
  manifestVersion: 3,
  // __JPKI_GUARD_E2E__: true only in `wxt build --mode e2e`, the end-to-end tests' build (lib/build-flags.ts).
  vite: (env) => ({ define: buildDefines(env.mode) }),
  hooks: {
    // Every package carries the notices of what it bundles (scripts/lib/components.mjs).
    "build:publicAssets": (_wxt, files) => {
      files.push({ relativeDest: "THIRD-PARTY-NOTICES.txt", contents: extensionNotices() });
    },
  },
  manifest: ({ browser }) => ({
    name: "__MSG_extName__",
    description: "__MSG_extDescription__",
    default_locale: "ja",
    permissions: ["nativeMessaging", "storage", "alarms", "notifications", "scripting"],
    optional_host_permissions: ["https://*/*"],
    action: { default_title: "__MSG_extName__" },
    // The portal script is an unlisted script listed here by hand: WXT's own content scripts send
    // a start-up event to the page and obey a forged one (entrypoints/portal.ts).
    content_scripts: [{ matches: BUILTIN_PORTAL_PATTERNS, js: [PORTAL_SCRIPT], run_at: "document_idle" }],
    icons: { 16: "icon-16.png", 32: "icon-32.png", 48: "icon-48.png", 128: "icon-128.png" },
    ...(browser === "firefox"
      ? {
          browser_specific_settings: {
            gecko: {
              id: FIREFOX_ADDON_ID,
              strict_min_version: "142.0",
              // Nothing leaves the computer: the card is read locally through the native host.
              data_collection_permissions: { required: ["none"] },
            },
          },
        }
      : {
          key: key.key,
          // Help desks preset the municipality by policy ("3rdparty"): docs/deploy.md. Firefox takes
          // the same value from policies.json without a schema in the manifest.
          storage: { managed_schema: "managed-schema.json" },
        }),
  }),
});
