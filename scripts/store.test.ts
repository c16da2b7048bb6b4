/** The store kit: permission reasons match what the manifest asks for; the upload zip has no development key. */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkKit, storeZip, uploadChrome, uploadEdge } from "./store.mjs";

const dir = mkdtempSync(join(tmpdir(), "jg-store-t-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What extension/wxt.config.ts asks for today (the built manifest is checked by scripts/package.sh). */
const manifest = {
  permissions: ["nativeMessaging", "storage", "alarms", "notifications", "scripting"],
  optional_host_permissions: ["https://*/*"],
  content_scripts: [{ matches: ["https://myna.go.jp/*"] }],
};

describe("store kit", () => {
  it("store/permissions.json gives a reason, in both languages, for each permission the manifest asks for", () => {
    expect(() => checkKit(manifest)).not.toThrow();
  });

  it("a new permission without a reason, or a reason left for a dropped one, stops the build", () => {
    expect(() => checkKit({ ...manifest, permissions: [...manifest.permissions, "tabs"] })).toThrow(
      /without a reason \["tabs"\]/,
    );
    expect(() => checkKit({ ...manifest, permissions: manifest.permissions.filter((p) => p !== "alarms") })).toThrow(
      /not asked \["alarms"\]/,
    );
  });

  it("the upload zip is the build without the development key, the same bytes twice", () => {
    const build = join(dir, "build");
    mkdirSync(build);
    writeFileSync(join(build, "manifest.json"), JSON.stringify({ name: "x", key: "MIIB...", version: "1" }));
    writeFileSync(join(build, "popup.html"), "<p>x</p>");
    const a = join(dir, "a.zip");
    const b = join(dir, "b.zip");
    storeZip(build, a, 1_700_000_000);
    storeZip(build, b, 1_700_000_000);
    const m = JSON.parse(execFileSync("unzip", ["-p", a, "manifest.json"], { encoding: "utf8" }));
    expect(m).toEqual({ name: "x", version: "1" });
    expect(
      execFileSync("sha256sum", [a, b], { encoding: "utf8" })
        .split("\n")
        .map((l) => l.split(" ")[0])
        .slice(0, 2),
    ).toSatisfy((h: string[]) => h[0] === h[1]);
  });
});

describe("store uploads (the requests only: nothing here reaches a store)", () => {
  const calls: Array<{ url: string; method: string; headers: Record<string, string> }> = [];
  const fakeFetch = async (url: string, init: { method: string; headers: Record<string, string> }) => {
    calls.push({ url, method: init.method, headers: init.headers });
    return { ok: true, status: 200, json: async () => ({ access_token: "T" }) };
  };
  const zip = new Uint8Array([0x50, 0x4b]);

  it("refuse without the account's credentials, naming what is missing", async () => {
    await expect(uploadChrome(zip, {}, fakeFetch as never)).rejects.toThrow(/CWS_CLIENT_ID.*CWS_ITEM_ID/);
    await expect(uploadEdge(zip, { EDGE_CLIENT_ID: "c" }, fakeFetch as never)).rejects.toThrow(
      /EDGE_API_KEY, EDGE_PRODUCT_ID/,
    );
    expect(calls).toHaveLength(0);
  });

  it("Chrome Web Store: token, upload, publish; Edge Add-ons: draft package, submit", async () => {
    calls.length = 0;
    await uploadChrome(
      zip,
      { CWS_CLIENT_ID: "i", CWS_CLIENT_SECRET: "s", CWS_REFRESH_TOKEN: "r", CWS_ITEM_ID: "abc" },
      fakeFetch as never,
    );
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      "POST https://oauth2.googleapis.com/token",
      "PUT https://www.googleapis.com/upload/chromewebstore/v1.1/items/abc",
      "POST https://www.googleapis.com/chromewebstore/v1.1/items/abc/publish",
    ]);
    expect(calls[1]!.headers.authorization).toBe("Bearer T");
    calls.length = 0;
    await uploadEdge(zip, { EDGE_CLIENT_ID: "c", EDGE_API_KEY: "k", EDGE_PRODUCT_ID: "p" }, fakeFetch as never);
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      "POST https://api.addons.microsoftedge.microsoft.com/v1/products/p/submissions/draft/package",
      "POST https://api.addons.microsoftedge.microsoft.com/v1/products/p/submissions",
    ]);
    expect(calls[0]!.headers.authorization).toBe("ApiKey k");
  });
});
