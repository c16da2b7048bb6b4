/**
 * Real cards, not only our model: every variant a real card might show for
 * the forms no real-card trace confirms (short-EF READ / VERIFY, EF 0008),
 * and the ATRs seen in the wild, read through pcscd. Each must give the same
 * certificate expiry, tries left and presence as the default card; a card
 * that refuses short forms costs at most 9 + ceil(L/256) APDUs cold.
 */
import { checkCard, FactsCache, PcscTransport } from "@jpki-guard/bridge";
import type { CardFacts } from "@jpki-guard/shared";
import {
  buildCard,
  namedProfile,
  type PcscdRig,
  type ProfileSpec,
  presenceBytes,
  REAL_ATRS,
} from "@jpki-guard/virtual-card";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let rig: PcscdRig;
let base: ProfileSpec;
let transport: PcscTransport;
let reference: CardFacts;

beforeAll(async () => {
  const { PcscdRig } = await import("@jpki-guard/virtual-card");
  base = await namedProfile("valid");
  rig = await PcscdRig.start({ card: buildCard(base) });
  transport = new PcscTransport();
  reference = (await checkCard({ transport, reader: rig.readerName })).facts;
  expect(reference.problems).toEqual([]);
}, 60_000);
afterAll(async () => {
  await transport?.close();
  await rig?.stop();
});

async function read(spec: ProfileSpec): Promise<CardFacts> {
  await rig.swap(buildCard(spec));
  return (await checkCard({ transport, reader: rig.readerName })).facts;
}

function sameAsReference(f: CardFacts): void {
  expect(f.problems).toEqual([]);
  expect(f.authCertificate?.notAfter).toBe(reference.authCertificate?.notAfter);
  expect(f.pins).toEqual(reference.pins);
  expect(f.presence).toEqual(reference.presence);
}

const REFUSALS = [0x6a86, 0x6b00, 0x6986, 0x6d00, 0x6a88].map((sw) => [sw.toString(16).toUpperCase(), sw] as const);
const ceil = () => Math.ceil(reference.authCertificate!.sizeBytes / 256);

describe("short-EF forms refused, each way a card may refuse", () => {
  it.each(REFUSALS)("READ BINARY by short EF answered %s: same facts, at most 9 + ceil(L/256) APDUs", async (_, sw) => {
    const f = await read({ ...base, shortEfRead: sw });
    sameAsReference(f);
    expect(f.apduCount).toBeLessThanOrEqual(9 + ceil());
  });

  it.each(REFUSALS)(
    "empty VERIFY by short EF answered %s: same facts, at most 9 + ceil(L/256) APDUs",
    async (_, sw) => {
      const f = await read({ ...base, shortEfVerify: sw });
      sameAsReference(f);
      expect(f.apduCount).toBeLessThanOrEqual(9 + ceil());
    },
  );

  it("both refused: same facts in 9 + ceil(L/256) APDUs; the default card keeps the floor of 4 + ceil(L/256)", async () => {
    const f = await read({ ...base, shortEfRead: 0x6a86, shortEfVerify: 0x6a86 });
    sameAsReference(f);
    expect(f.apduCount).toBe(9 + ceil());
    expect(reference.apduCount).toBe(4 + ceil());
  });

  it("the decision is remembered until the card changes: a warm read does not probe again", async () => {
    await rig.swap(buildCard({ ...base, shortEfVerify: 0x6d00 }));
    const cache = new FactsCache();
    const cold = await checkCard({ transport, reader: rig.readerName, cache });
    const warm = await checkCard({ transport, reader: rig.readerName, cache });
    expect(warm.facts.cached).toBe(true);
    expect(warm.facts.pins).toEqual(reference.pins);
    // SELECT AP + (SELECT EF + VERIFY) x 2: no short VERIFY tried again.
    expect(warm.facts.apduCount).toBe(5);
    expect(cold.facts.apduCount).toBeGreaterThan(warm.facts.apduCount);
  });
});

describe("EF 0008 (certificate presence) is only a hint", () => {
  it("no EF 0008 at all: the signature certificate is still found present", async () => {
    const f = await read({ ...base, presence: null });
    expect(f.problems).toEqual([]);
    expect(f.presence.signature).toBe("present");
    expect(f.authCertificate?.notAfter).toBe(reference.authCertificate?.notAfter);
  });

  it("EF 0008 saying 'absent' while the certificate is there: never a false 'absent'", async () => {
    const f = await read({ ...base, presence: presenceBytes(false, true) });
    expect(f.presence.signature).toBe("present");
  });

  it("a card without the signature certificate is still 'absent', confirmed by SELECT", async () => {
    const f = await read({ ...base, presence: null, signatureCertificate: null });
    expect(f.presence.signature).toBe("absent");
  });
});

describe("ATRs seen on real cards", () => {
  it.each(REAL_ATRS)("ATR %s: the same facts (detection never depends on the ATR)", async (atr) => {
    const f = await read({ ...base, atr });
    sameAsReference(f);
    expect(f.card?.atr).toBe(atr);
    expect(f.apduCount).toBe(reference.apduCount);
  });
});
