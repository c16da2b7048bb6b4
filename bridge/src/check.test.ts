import { CardFactsSchema } from "@jpki-guard/shared";
import { buildCard, caCertificate, namedProfile, PROFILE_NAMES, type ProfileName } from "@jpki-guard/virtual-card";
import { describe, expect, it } from "vitest";
import { testAnchor } from "./cert/facts.js";
import { MemoryTransport } from "./transport/memory.js";
import { checkCard } from "./usecases/check.js";
import { readSignatureCertificate } from "./usecases/read-signature.js";

const NOW = new Date("2026-11-26T03:00:00Z");
const READER = "Memory Reader 00 00";

async function anchors() {
  return [testAnchor(await caCertificate("auth"), "auth"), testAnchor(await caCertificate("sign"), "sign")];
}

async function run(profile: ProfileName, trace = false) {
  const card = buildCard(await namedProfile(profile, NOW));
  const transport = new MemoryTransport({ [READER]: card });
  const result = await checkCard({ transport, now: NOW, extraAnchors: await anchors(), trace });
  CardFactsSchema.parse(result.facts);
  return { ...result, card };
}

describe("checkCard on the in-memory card", () => {
  it("reads a valid card in 4 + ceil(L/256) APDUs, spending no PIN try", async () => {
    const { facts, card } = await run("valid");
    expect(facts.problems).toEqual([]);
    expect(facts.card?.kind).toBe("mynumber");
    expect(facts.presence).toEqual({ auth: "present", signature: "present" });
    expect(facts.pins.auth).toEqual({ triesLeft: 3, maxTries: 3, locked: false });
    expect(facts.pins.signature).toEqual({ triesLeft: 5, maxTries: 5, locked: false });
    const L = facts.authCertificate!.sizeBytes;
    expect(facts.apduCount).toBe(4 + Math.ceil(L / 256));
    expect(facts.authCertificate!.chain).toBe("verified");
    expect(facts.authCertificate!.issuer.kind).toBe("test");
    expect(facts.authCertificate!.keyBits).toBe(2048);
    expect(facts.signatureCertificate).toBeNull();
    expect(facts.notChecked.map((n) => n.what)).toEqual(
      expect.arrayContaining(["signature-certificate", "revocation"]),
    );
    // no VERIFY with data was ever sent
    expect(card.trace.filter((t) => t.command[1] === 0x20 && t.command.length > 4)).toEqual([]);
  });

  it("falls back to SELECT on a card that rejects short EF ids", async () => {
    const { facts } = await run("no-short-ef");
    expect(facts.problems).toEqual([]);
    expect(facts.pins.auth.triesLeft).toBe(3);
    const L = facts.authCertificate!.sizeBytes;
    // select AP, (rejected short read + select + read) presence, (rejected + select + verify) x2 ... first rejection switches mode
    expect(facts.apduCount).toBe(1 + 3 + 2 + 2 + 1 + Math.ceil(L / 256));
  });

  it("follows 61xx / 6Cxx on a T=0-style card", async () => {
    const { facts } = await run("t0-card");
    expect(facts.problems).toEqual([]);
    expect(facts.authCertificate?.chain).toBe("verified");
  });

  it.each([
    ["auth-pin-1-left", 1, 5],
    ["auth-pin-locked", 0, 5],
    ["sign-pin-locked", 3, 0],
  ] as const)("%s: tries left as the card reports", async (p, auth, sign) => {
    const { facts } = await run(p);
    expect(facts.pins.auth.triesLeft).toBe(auth);
    expect(facts.pins.signature.triesLeft).toBe(sign);
    expect(facts.pins.auth.locked).toBe(auth === 0);
    expect(facts.pins.signature.locked).toBe(sign === 0);
  });

  it("no-sign-cert and no-certs: presence", async () => {
    expect((await run("no-sign-cert")).facts.presence).toEqual({ auth: "present", signature: "absent" });
    const none = await run("no-certs");
    expect(none.facts.presence).toEqual({ auth: "absent", signature: "absent" });
    expect(none.facts.authCertificate).toBeNull();
  });

  it("not-mynumber and juki-card are typed problems", async () => {
    const nm = await run("not-mynumber");
    expect(nm.facts.card?.kind).toBe("not-mynumber");
    expect(nm.facts.problems.map((p) => p.code)).toEqual(["not-mynumber"]);
    const juki = await run("juki-card");
    expect(juki.facts.card?.kind).toBe("juki");
    expect(juki.facts.card?.token).toBe("JPKIAPICCTOKEN");
    expect(juki.facts.problems.map((p) => p.code)).toEqual(["juki-card"]);
  });

  it("removed-mid-read gives card-removed and no certificate", async () => {
    const { facts } = await run("removed-mid-read");
    expect(facts.problems.map((p) => p.code)).toEqual(["card-removed"]);
    expect(facts.authCertificate).toBeNull();
  });

  it("expired / renewal-window / not-yet-valid carry the dates", async () => {
    const exp = await run("expired");
    expect(new Date(exp.facts.authCertificate!.notAfter) < NOW).toBe(true);
    const win = await run("renewal-window");
    const days = (new Date(win.facts.authCertificate!.notAfter).getTime() - NOW.getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(40);
    expect(days).toBeLessThan(50);
    const nyv = await run("not-yet-valid");
    expect(new Date(nyv.facts.authCertificate!.notBefore) > NOW).toBe(true);
  });

  it("the next-generation card: ECDSA P-384 reported as such, the chain verified, the one-year window applied", async () => {
    const spec = await namedProfile("next-generation", NOW);
    const transport = new MemoryTransport({ [READER]: buildCard(spec) });
    const extraAnchors = [testAnchor(spec.authCaCertificate, "auth"), testAnchor(spec.signatureCaCertificate, "sign")];
    const { facts } = await checkCard({ transport, now: NOW, extraAnchors });
    CardFactsSchema.parse(facts);
    expect(facts.authCertificate).toMatchObject({
      keyAlgorithm: "EC",
      keyCurve: "P-384",
      keyBits: 384,
      chain: "verified",
    });
    // Against the RSA test CA of today's cards it does not chain: the key id and the key differ.
    const rsa = await checkCard({ transport, now: NOW, extraAnchors: await anchors() });
    expect(rsa.facts.authCertificate!.chain).toBe("untrusted");
    const { evaluate, locality } = await import("@jpki-guard/shared");
    const v = evaluate(facts, { now: NOW, locality: locality("hiratsuka") });
    expect(v.findings.map((f) => f.code)).toContain("auth-cert-renewal-window");
    const signed = await readSignatureCertificate({ transport, now: NOW, pin: "ABC123", extraAnchors });
    expect(signed.facts.signatureCertificate).toMatchObject({
      keyAlgorithm: "EC",
      keyCurve: "P-384",
      chain: "verified",
    });
  });

  it("every profile yields facts that match the schema", async () => {
    for (const p of PROFILE_NAMES) await run(p);
  });

  it("without the TEST anchors, the test CA is reported as untrusted", async () => {
    const card = buildCard(await namedProfile("valid", NOW));
    const { facts } = await checkCard({ transport: new MemoryTransport({ [READER]: card }), now: NOW });
    expect(facts.authCertificate!.chain).toBe("untrusted");
    expect(facts.authCertificate!.issuer.kind).toBe("test");
  });

  it("reports no reader and no card", async () => {
    const none = await checkCard({ transport: new MemoryTransport({}), now: NOW });
    expect(none.facts.problems.map((p) => p.code)).toEqual(["no-reader"]);
    const empty = await checkCard({ transport: new MemoryTransport({ [READER]: null }), now: NOW });
    expect(empty.facts.problems.map((p) => p.code)).toEqual(["no-card"]);
    const wrong = await checkCard({ transport: new MemoryTransport({ [READER]: null }), reader: "nope", now: NOW });
    expect(wrong.facts.problems.map((p) => p.code)).toEqual(["reader-not-found"]);
  });

  it("traces show no PIN, no PIN length and no certificate bytes: status words and lengths only", async () => {
    const card = buildCard(await namedProfile("valid", NOW));
    const transport = new MemoryTransport({ [READER]: card });
    const r = await readSignatureCertificate({ transport, now: NOW, pin: "ABC123", trace: true });
    const verify = r.trace!.find((t) => t.command.endsWith("[PIN]"));
    expect(verify?.command).toBe("00 20 00 9B [PIN]");
    const text = JSON.stringify(r.trace);
    expect(text).not.toContain(
      Buffer.from("ABC123")
        .toString("hex")
        .toUpperCase()
        .replace(/(..)(?!$)/g, "$1 "),
    );
    // The signature certificate (name, address, birth date) and the auth certificate (serial) never appear.
    expect(text).not.toContain("30 82");
    expect(r.trace!.some((t) => /^\[\d+ bytes\] 90 00$/.test(t.response))).toBe(true);
    const check = await checkCard({ transport, now: NOW, trace: true });
    expect(JSON.stringify(check.trace)).not.toContain("30 82");
  });
});

/** A valid card in memory, with each command seen first by `hook` (which passes it on, or answers itself). */
async function interposed(
  hook: (command: Uint8Array, pass: (c: Uint8Array) => Promise<Uint8Array>) => Promise<Uint8Array>,
): Promise<MemoryTransport> {
  const inner = new MemoryTransport({ [READER]: buildCard(await namedProfile("valid", NOW)) });
  const transport = Object.create(inner) as MemoryTransport;
  transport.connect = async (reader: string) => {
    const conn = await inner.connect(reader);
    return {
      atr: conn.atr,
      eventCount: () => conn.eventCount(),
      close: (o) => conn.close(o),
      transmit: (c: Uint8Array) => hook(c, (x) => conn.transmit(x)),
    };
  };
  return transport;
}

describe("PIN bytes", () => {
  it("the VERIFY command that carried the PIN is overwritten once the card has answered", async () => {
    const sent: Uint8Array[] = [];
    const transport = await interposed((command, pass) => {
      if (command[1] === 0x20 && command.length > 5) sent.push(command); // the very buffer, not a copy
      return pass(command.slice());
    });
    const r = await readSignatureCertificate({ transport, now: NOW, pin: "ABC123" });
    expect(r.facts.pins.signature.triesLeft).toBe(5);
    expect(sent).toHaveLength(1);
    expect(Buffer.from(sent[0]!).includes(Buffer.from("ABC123"))).toBe(false);
    expect(sent[0]!.every((b) => b === 0)).toBe(true);
  });

  it("a 6C xx answer to a VERIFY with a PIN is not answered by sending the PIN again", async () => {
    let verifies = 0;
    const transport = await interposed(async (command, pass) => {
      if (command[1] === 0x20 && command.length > 5) {
        verifies++;
        return Uint8Array.of(0x6c, 0x00);
      }
      return pass(command);
    });
    await readSignatureCertificate({ transport, now: NOW, pin: "ABC123" }).catch(() => undefined);
    expect(verifies).toBe(1);
  });
});

describe("readSignatureCertificate guards", () => {
  async function transportFor(p: ProfileName) {
    const card = buildCard(await namedProfile(p, NOW));
    return { card, transport: new MemoryTransport({ [READER]: card }) };
  }
  const verifies = (card: { trace: { command: Uint8Array }[] }) =>
    card.trace.filter((t) => t.command[1] === 0x20 && t.command.length > 4).length;

  it("reads the certificate with the right PIN and re-selects the AP afterwards", async () => {
    const { transport, card } = await transportFor("valid");
    const r = await readSignatureCertificate({
      transport,
      now: NOW,
      pin: "ABC123",
      includePersonalData: true,
      extraAnchors: await anchors(),
    });
    expect(r.facts.signatureCertificate?.chain).toBe("verified");
    expect(r.personalData?.name).toBe("試験 花子");
    expect(r.personalData?.birthDate).toBe("19900101");
    expect(JSON.stringify(r.facts)).not.toContain("試験");
    // Logout: SELECT AP again, then confirm that the signature certificate needs the PIN again (69 82).
    const [reselect, probe] = card.trace.slice(-2);
    expect(Array.from(reselect!.command.subarray(0, 4))).toEqual([0x00, 0xa4, 0x04, 0x0c]);
    expect(Array.from(probe!.command.subarray(0, 2))).toEqual([0x00, 0xb0]);
    expect(Array.from(probe!.response.subarray(-2))).toEqual([0x69, 0x82]);
    expect(transport.resets).toBe(0);
  });

  it("a VERIFY whose answer is lost (the card seems gone) still ends with a reset: it may have been accepted", async () => {
    const { card } = await transportFor("valid");
    const lossy = {
      atr: card.atr,
      reset: () => card.reset(),
      transmit(c: Uint8Array): Uint8Array {
        const r = card.transmit(c);
        if (c[1] === 0x20 && c.length > 5) throw new Error("answer lost");
        return r;
      },
    };
    const t = new MemoryTransport({ [READER]: lossy });
    await expect(readSignatureCertificate({ transport: t, now: NOW, pin: "ABC123" })).rejects.toMatchObject({
      code: "card-removed",
    });
    expect(t.resets).toBe(1);
  });

  it("resets the card on release when the logout cannot be confirmed (a card that stays verified after SELECT)", async () => {
    const { transport, card } = await transportFor("valid");
    const sticky = {
      atr: card.atr,
      reset: () => card.reset(),
      transmit(c: Uint8Array): Uint8Array {
        const r = card.transmit(c);
        // After the re-select, pretend the verified state survived: READ BINARY of the certificate succeeds.
        const prev = card.trace.at(-2)?.command;
        if (c[1] === 0xb0 && prev?.[1] === 0xa4 && prev[2] === 0x04) return Uint8Array.of(0x30, 0x90, 0x00);
        return r;
      },
    };
    const t = new MemoryTransport({ [READER]: sticky });
    const r = await readSignatureCertificate({ transport: t, now: NOW, pin: "ABC123", extraAnchors: await anchors() });
    expect(r.facts.signatureCertificate).not.toBeNull();
    expect(t.resets).toBe(1);
    expect(transport.resets).toBe(0);
  });

  it.each([
    ["abc123", "lower-case"],
    ["ABC", "too-short"],
    ["ABC-123", "bad-character"],
    ["", "empty"],
  ])("refuses the malformed PIN %j before sending anything", async (pin, problem) => {
    const { transport, card } = await transportFor("valid");
    await expect(readSignatureCertificate({ transport, now: NOW, pin })).rejects.toMatchObject({
      code: "pin-format",
      detail: { problem },
    });
    expect(card.trace).toHaveLength(0);
  });

  it("refuses with one try left and spends nothing", async () => {
    const spec = await namedProfile("valid", NOW);
    const card = buildCard({ ...spec, signaturePinTriesLeft: 1 });
    const transport = new MemoryTransport({ [READER]: card });
    await expect(readSignatureCertificate({ transport, now: NOW, pin: "ABC123" })).rejects.toMatchObject({
      code: "pin-too-few-tries",
    });
    expect(verifies(card)).toBe(0);
  });

  it("refuses a locked PIN", async () => {
    const { transport, card } = await transportFor("sign-pin-locked");
    await expect(readSignatureCertificate({ transport, now: NOW, pin: "ABC123" })).rejects.toMatchObject({
      code: "pin-blocked",
    });
    expect(verifies(card)).toBe(0);
  });

  it("a wrong PIN spends exactly one try and says how many are left", async () => {
    const { transport, card } = await transportFor("valid");
    await expect(readSignatureCertificate({ transport, now: NOW, pin: "ZZZ999" })).rejects.toMatchObject({
      code: "pin-wrong",
      detail: { triesLeft: 4 },
    });
    expect(verifies(card)).toBe(1);
  });
});

describe("checkCard with the host's facts cache", () => {
  it("lists the readers once per check, and a card swapped between that listing and the hold is read afresh", async () => {
    const { FactsCache } = await import("./usecases/facts-cache.js");
    const first = buildCard(await namedProfile("valid", NOW));
    const transport = new MemoryTransport({ [READER]: first });
    let listings = 0;
    let swapTo: ReturnType<typeof buildCard> | null = null;
    const list = transport.listReaders.bind(transport);
    transport.listReaders = async () => {
      listings++;
      const r = await list();
      // Another card arrives after the listing, before our operation holds the card.
      if (swapTo) transport.insert(READER, swapTo);
      return r;
    };
    const cache = new FactsCache();
    const opts = { transport, now: NOW, extraAnchors: await anchors(), cache };
    const a = await checkCard(opts);
    expect(listings).toBe(1);
    const again = await checkCard(opts);
    expect(listings).toBe(2);
    expect(again.facts.apduCount).toBe(3); // cached certificate facts: the PIN counters only
    swapTo = buildCard(await namedProfile("renewal-window", NOW));
    const swapped = await checkCard(opts);
    expect(listings).toBe(3);
    expect(swapped.facts.authCertificate!.notAfter).not.toBe(a.facts.authCertificate!.notAfter);
    expect(swapped.facts.apduCount).toBeGreaterThan(3);
  });
});
