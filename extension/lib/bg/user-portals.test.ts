import { describe, expect, it } from "vitest";
import { registerUserPortals, type UserPortalsApi } from "./user-portals";

function fakeApi(granted: string[], unregisterFails = false) {
  const calls: unknown[] = [];
  const api: UserPortalsApi = {
    unregister: async (ids) => {
      calls.push(["unregister", ids]);
      if (unregisterFails) throw new Error("nothing registered");
    },
    grantedOrigins: async () => granted,
    register: async (script) => void calls.push(["register", script.id, script.matches, script.js]),
  };
  return { api, calls };
}

describe("user-added portals", () => {
  it("the content script runs on the granted ones only, replacing the last registration", async () => {
    const { api, calls } = fakeApi(["https://a.example.jp/*", "https://myna.go.jp/*"], true);
    expect(await registerUserPortals(api, ["https://a.example.jp/*", "https://b.example.jp/*"])).toEqual([
      "https://a.example.jp/*",
    ]);
    expect(calls).toEqual([
      ["unregister", ["user-portals"]],
      ["register", "user-portals", ["https://a.example.jp/*"], ["portal.js"]],
    ]);
  });

  it("none granted: nothing is registered", async () => {
    const { api, calls } = fakeApi([]);
    expect(await registerUserPortals(api, ["https://a.example.jp/*"])).toEqual([]);
    expect(calls).toEqual([["unregister", ["user-portals"]]]);
  });
});
