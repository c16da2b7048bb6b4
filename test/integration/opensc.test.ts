/**
 * OpenSC's JPKI driver (an implementation nobody here wrote) reads the
 * virtual card through pcscd. Where OpenSC and the model disagree, the model
 * is wrong until shown otherwise.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CardModel, type PcscdRig, toHex } from "@jpki-guard/virtual-card";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { card, sh, startRig } from "./helpers.js";

let rig: PcscdRig;
let model: CardModel;
const env = { ...process.env, OPENSC_DRIVER: "jpki" };

beforeAll(async () => {
  rig = await startRig(null);
  model = await card("valid");
  await rig.insert(model);
});
afterAll(async () => {
  await rig?.stop();
});

function authCertOf(m: CardModel): Uint8Array {
  const app = m.applications[0]!;
  const f = app.files.get(0x000a);
  if (f?.kind !== "binary") throw new Error("no auth cert in model");
  return f.data;
}

describe("OpenSC against the virtual card", () => {
  it("opensc-tool sees the reader and the JPKI driver claims the card", async () => {
    const list = await sh("opensc-tool -l", { env });
    expect(list.stdout).toContain(rig.readerName);
    const name = await sh(`opensc-tool -r "${rig.readerName}" -n`, { env });
    expect(name.stdout).toMatch(/jpki/i);
  });

  it("without forcing the driver, OpenSC's probing still ends at the JPKI driver", async () => {
    const name = await sh(`opensc-tool -r "${rig.readerName}" -n`);
    expect(name.stdout).toMatch(/jpki/i);
  });

  it("pkcs15-tool reads the authentication certificate byte-identical to the model's", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jpki-opensc-"));
    try {
      const out = join(dir, "auth.pem");
      await sh(`pkcs15-tool -r "${rig.readerName}" --read-certificate 01 -o "${out}"`, { env });
      const pem = readFileSync(out, "utf8");
      const der = Buffer.from(pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, ""), "base64");
      expect(toHex(der)).toBe(toHex(authCertOf(model)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("pkcs15-tool lists both PINs with the tries the model holds", async () => {
    const auth = model.pin(model.applications[0]!.aid, 0x0018)!;
    auth.triesLeft = 2;
    const r = await sh(`pkcs15-tool -r "${rig.readerName}" --list-pins`, { env });
    const tries = [...r.stdout.matchAll(/Tries left\s*:\s*(\d+)/g)].map((m) => Number(m[1]));
    expect(r.stdout).toContain("User Authentication PIN");
    expect(r.stdout).toContain("Digital Signature PIN");
    expect(tries).toEqual([2, 5]);
    auth.triesLeft = 3;
  });

  it("the empty VERIFY OpenSC sends spends no try", async () => {
    const before = model.trace.length;
    await sh(`pkcs15-tool -r "${rig.readerName}" --list-pins`, { env });
    const verifies = model.trace.slice(before).filter((t) => t.command[1] === 0x20);
    expect(verifies.length).toBeGreaterThan(0);
    for (const v of verifies) expect(v.command.length).toBe(4);
    expect(model.pin(model.applications[0]!.aid, 0x0018)!.triesLeft).toBe(3);
    expect(model.pin(model.applications[0]!.aid, 0x001b)!.triesLeft).toBe(5);
  });
});
