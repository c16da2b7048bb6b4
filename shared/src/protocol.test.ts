/** The protocol's answers to bad requests: typed, and never quoting what was sent (security). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROTOCOL_VERSION, parseRequest } from "./protocol.js";

describe("a refused request never quotes what was sent", () => {
  it("an unknown command: the code and a fixed sentence, not the command", () => {
    const r = parseRequest({ id: "1", v: PROTOCOL_VERSION, command: "<img src=x onerror=alert(1)>" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe("unknown-command");
    expect(r.error.message).not.toContain("img");
    expect(r.error.message).not.toContain("<");
  });

  it("whatever the command, key or version, the error's text holds none of it", () => {
    const marker = fc.stringMatching(/^[A-Za-z]{12,20}$/);
    fc.assert(
      fc.property(marker, fc.integer({ min: 2, max: 1_000_000 }), (word, v) => {
        const answers = [
          parseRequest({ id: "1", v: PROTOCOL_VERSION, command: word }),
          parseRequest({ id: "1", v: PROTOCOL_VERSION, command: "status", [word]: 1 }),
          parseRequest({ id: "1", v: PROTOCOL_VERSION, command: "status", params: { [word]: word } }),
          parseRequest({ id: "1", v: PROTOCOL_VERSION, command: "status", params: { reader: 5, action: word } }),
          parseRequest({ id: "1", v: v + PROTOCOL_VERSION, command: word }),
        ];
        for (const a of answers) {
          expect(a.ok).toBe(false);
          if (!a.ok) {
            expect(a.error.message).not.toContain(word);
            expect(a.error.message).not.toContain(String(v + PROTOCOL_VERSION));
          }
        }
      }),
    );
  });
});

describe("watch's inUse (issue 22)", () => {
  it("a boolean on watch only; status refuses it", () => {
    expect(parseRequest({ id: "1", v: PROTOCOL_VERSION, command: "watch", params: { inUse: false } }).ok).toBe(true);
    expect(parseRequest({ id: "1", v: PROTOCOL_VERSION, command: "watch", params: { inUse: "no" } }).ok).toBe(false);
    expect(parseRequest({ id: "1", v: PROTOCOL_VERSION, command: "status", params: { inUse: false } }).ok).toBe(false);
  });
});
