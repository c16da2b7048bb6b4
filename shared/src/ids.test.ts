import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CHROME_EXTENSION_ID, FIREFOX_ADDON_ID } from "./ids.js";

describe("extension ids (one source)", () => {
  it("the Chrome id is the one the development key gives (SHA-256 of the key, hex digits as a-p)", () => {
    const { key } = JSON.parse(
      readFileSync(new URL("../../extension/extension-key.json", import.meta.url), "utf8"),
    ) as {
      key: string;
    };
    const hex = createHash("sha256").update(Buffer.from(key, "base64")).digest("hex").slice(0, 32);
    const id = [...hex].map((c) => String.fromCharCode(97 + Number.parseInt(c, 16))).join("");
    expect(CHROME_EXTENSION_ID).toBe(id);
    expect(FIREFOX_ADDON_ID).toMatch(/^[a-z0-9.-]+@[a-z0-9.-]+$/);
  });
});
