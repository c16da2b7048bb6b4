import { describe, expect, it } from "vitest";
import { MAX_NATIVE_ERROR, nativeErrorKind, nativeErrorText } from "./native-errors.js";

describe("the browsers' native-messaging errors", () => {
  it.each([
    ["Specified native messaging host not found.", "not-installed"],
    ["No such native application com.jpki_guard.bridge", "not-installed"],
    ["Access to the specified native messaging host is forbidden.", "forbidden"],
    ["Native host has exited.", "exited"],
    ["Failed to start native messaging host.", "start-failed"],
    ["Error when communicating with the native messaging host.", "io"],
    ["Invalid native messaging host name specified.", "not-installed"],
    ["something new from a future browser", "other"],
    ["", "other"],
  ])("%j -> %s, in Japanese without the English original", (raw, kind) => {
    expect(nativeErrorKind(raw)).toBe(kind);
    const ja = nativeErrorText("ja", raw);
    expect(ja).toMatch(/[\u3040-\u30ff]/u);
    if (raw) expect(ja).not.toContain(raw);
    expect(nativeErrorText("en", raw)).not.toBe("");
  });

  it("an overlong string is not a browser message", () => {
    expect(nativeErrorKind(`Native host has exited.${" ".repeat(MAX_NATIVE_ERROR)}x`)).toBe("other");
  });
});
