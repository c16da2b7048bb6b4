/** The host packages' allow-list comes from one place; a store-installed extension is not refused. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { allowedChromeIds } from "../../shared/src/ids.js";
import { allowedFrom } from "./allowed.mjs";

const ids = JSON.parse(readFileSync(new URL("../../shared/src/extension-ids.json", import.meta.url), "utf8"));
const STORE = "abcdefghijklmnopabcdefghijklmnop"; // made up: the stores' ids are not known yet

describe("allowed callers", () => {
  it("today: the development id and the Firefox id", () => {
    expect(allowedFrom(ids)).toEqual({
      chromeOrigins: [`chrome-extension://${ids.chrome}/`],
      firefox: [ids.firefox],
    });
  });

  it("a store id set in extension-ids.json is allowed by the packages and by install, beside the development id", () => {
    const withStore = { ...ids, stores: { "chrome-web-store": STORE, "edge-add-ons": null } };
    expect(allowedFrom(withStore).chromeOrigins).toEqual([
      `chrome-extension://${ids.chrome}/`,
      `chrome-extension://${STORE}/`,
    ]);
    expect(allowedChromeIds(withStore)).toEqual([ids.chrome, STORE]);
  });

  it("a malformed store id is never allowed", () => {
    const bad = {
      ...ids,
      stores: { "chrome-web-store": "not-an-id", "edge-add-ons": "ABCDEFGHIJKLMNOPABCDEFGHIJKLMNOP" },
    };
    expect(allowedFrom(bad).chromeOrigins).toEqual([`chrome-extension://${ids.chrome}/`]);
    expect(allowedChromeIds(bad)).toEqual([ids.chrome]);
  });
});
