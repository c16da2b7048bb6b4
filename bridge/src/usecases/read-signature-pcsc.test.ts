/**
 * The logout after our own VERIFY, down to the PC/SC calls: the card model
 * answers the APDUs, the scripted library checks how the transaction ends
 * (SCARD_LEAVE_CARD when the re-selected AP asks for the PIN again, else
 * SCARD_RESET_CARD).
 */
import { buildCard, caCertificate, namedProfile } from "@jpki-guard/virtual-card";
import { describe, expect, it } from "vitest";
import { testAnchor } from "../cert/facts.js";
import { PcscTransport } from "../transport/pcsc.js";
import { SCARD_LEAVE_CARD, SCARD_RESET_CARD, STATE } from "../transport/pcsc-abi.js";
import { type CardModel, FakePcsc } from "../transport/pcsc-fake.js";
import { readSignatureCertificate } from "./read-signature.js";

const NOW = new Date("2026-11-26T03:00:00Z");
const R = "Reader 0";

async function signatureRead(model: CardModel & { atr: Uint8Array }, disposition: number) {
  const atr = Buffer.from(model.atr).toString("hex");
  const fake = new FakePcsc([
    { call: "establish" },
    { call: "listReaders", readers: [R] },
    { call: "getStatusChange", states: { [R]: { eventState: STATE.PRESENT | STATE.CHANGED, atr } } },
    { call: "establish" },
    { call: "connect", ctx: 2, reader: R },
    { call: "beginTransaction" },
    { call: "transmit", model },
    { call: "endTransaction", disposition },
    { call: "disconnect", disposition: SCARD_LEAVE_CARD },
    { call: "release", ctx: 1 },
    { call: "release", ctx: 2 },
  ]);
  const transport = new PcscTransport({ api: fake });
  const anchors = [testAnchor(await caCertificate("auth"), "auth"), testAnchor(await caCertificate("sign"), "sign")];
  const r = await readSignatureCertificate({ transport, now: NOW, pin: "ABC123", extraAnchors: anchors });
  await transport.close();
  fake.verify();
  expect(fake.open()).toEqual({ contexts: [], cards: [] });
  return { r, apdus: fake.apdus };
}

describe("the logout after our own VERIFY, over PC/SC", () => {
  it("re-selects the AP, sees READ BINARY answer 69 82, and ends the transaction leaving the card", async () => {
    const card = buildCard(await namedProfile("valid", NOW));
    const { r, apdus } = await signatureRead(card, SCARD_LEAVE_CARD);
    expect(r.facts.signatureCertificate?.chain).toBe("verified");
    expect(apdus.some((a) => a.command.startsWith("0020"))).toBe(true); // the VERIFY was sent
    const [reselect, probe] = apdus.slice(-2);
    expect(reselect!.command.slice(0, 8)).toBe("00A4040C");
    expect(probe!.command.slice(0, 4)).toBe("00B0");
    expect(probe!.answer).toBe("6982");
  });

  it("a card still verified after the re-select (READ answers 90 00) is reset: SCardEndTransaction(SCARD_RESET_CARD)", async () => {
    const card = buildCard(await namedProfile("valid", NOW));
    let last = "";
    const sticky = {
      atr: card.atr,
      transmit(c: Uint8Array): Uint8Array {
        const r = card.transmit(c);
        const previous = last;
        last = Buffer.from(c).toString("hex").toUpperCase();
        if (c[1] === 0xb0 && previous.startsWith("00A404")) return Uint8Array.of(0x30, 0x90, 0x00);
        return r;
      },
    };
    const { apdus } = await signatureRead(sticky, SCARD_RESET_CARD);
    expect(apdus.at(-1)!.answer).toBe("309000");
  });
});
