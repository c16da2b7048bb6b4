/** The QR code of a read-out code, decoded by a second library (jsqr) from the very pixels the popup paints. */
import { encodeReadout, type Readout } from "@jpki-guard/shared";
import jsQR from "jsqr";
import { describe, expect, it } from "vitest";
import { readoutQr } from "./qr";

const SAMPLE: Readout = {
  version: 1,
  login: "attention",
  sign: "blocked",
  authTries: 3,
  signTries: 0,
  authDays: 45,
  signDays: -3,
  ec: false,
  findings: ["auth-cert-renewal-window", "sign-pin-locked", "revocation-not-checked"],
  municipality: "142034",
  toolVersion: "0.1.0",
};

describe("read-out QR code", () => {
  it.each([
    ["a sample", SAMPLE],
    ["no card facts", { ...SAMPLE, authTries: null, signTries: null, authDays: null, signDays: null, findings: [] }],
    ["national guidance, EC", { ...SAMPLE, municipality: null, ec: true }],
  ] as const)("%s: jsqr reads back exactly the code", (_, r) => {
    const code = encodeReadout(r as Readout);
    for (const scale of [2, 6]) {
      const px = readoutQr(code, scale);
      const got = jsQR(px.data, px.width, px.height);
      expect(got?.data).toBe(code);
    }
  });

  it("carries the code and nothing else: no date, no other text", () => {
    const code = encodeReadout(SAMPLE);
    const px = readoutQr(code);
    const got = jsQR(px.data, px.width, px.height);
    expect(got?.binaryData).toEqual([...new TextEncoder().encode(code)]);
    expect(got?.data).toMatch(/^JG(-[2-9A-HJ-NP-Z]{1,4}){6}$/);
  });

  it("refuses anything that is not a read-out code", () => {
    for (const bad of [
      "",
      "JG-",
      "hello",
      "JG-7DQ3-FZZS-2236-242J-FVV2-325 2027-01-16",
      "JG-0000-0000-0000-0000-0000-000",
    ])
      expect(() => readoutQr(bad), bad).toThrow("not a read-out code");
  });
});
