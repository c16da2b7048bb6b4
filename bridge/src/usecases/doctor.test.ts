import { doctorText } from "@jpki-guard/shared/rules";
import { buildCard, caCertificate, namedProfile } from "@jpki-guard/virtual-card";
import { describe, expect, it } from "vitest";
import { testAnchor } from "../cert/facts.js";
import { MemoryTransport } from "../transport/memory.js";
import { checkCard } from "./check.js";
import { runDoctor } from "./doctor.js";
import { readerModel, scrub } from "./report.js";

const NOW = new Date("2026-11-26T03:00:00Z");
const READER = "ACS ACR39U ICC Reader (0A1B2C3D4E5F) 00 00";

describe("the doctor's report (security: what a help desk gets)", () => {
  it("keeps dates to the day, tries, verdict and the reader's model; no serial, fingerprint, exact time or home folder", async () => {
    const card = buildCard(await namedProfile("valid", NOW));
    const transport = new MemoryTransport({ [READER]: card });
    const anchors = [testAnchor(await caCertificate("auth"), "auth"), testAnchor(await caCertificate("sign"), "sign")];
    const { facts } = await checkCard({ transport, now: NOW, extraAnchors: anchors });
    const report = await runDoctor({
      transport,
      virtual: false,
      anchors,
      judge: { on: NOW, action: "login", municipality: "hiratsuka" },
      trace: false,
      // What the caller found about the installation, naming a (made-up) person.
      installation: [{ id: "installation", ok: true, detail: "development checkout at /home/hanako/src (hanako)" }],
      person: { home: "/home/hanako", user: "hanako" },
    });
    const json = JSON.stringify(report);
    expect(json).not.toContain("0A1B2C3D4E5F");
    expect(json).not.toContain(facts.authCertificate!.fingerprint);
    expect(json).not.toContain(facts.authCertificate!.notAfter); // the exact instant
    expect(json).not.toContain(facts.checkedAt);
    expect(json).not.toContain("hanako");
    expect(report.items.find((i) => i.id === "installation")?.detail).toBe("development checkout at ~/src (<user>)");
    expect(report.facts.reader?.model).toBe("ACS ACR39U ICC Reader 00 00");
    expect(report.facts.authCertificate?.validTo).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(doctorText(report)).toContain(`valid to ${report.facts.authCertificate?.validTo}`);
    expect(report.facts.pins.signature.triesLeft).toBe(5);
    expect(report.verdict.level).toBe("ready");
  });

  it("reader names lose their serial numbers, not their model", () => {
    expect(readerModel("SCM Microsystems Inc. SCR 3310 [CCID Interface] (21120837303937) 00 00")).toBe(
      "SCM Microsystems Inc. SCR 3310 [CCID Interface] 00 00",
    );
    expect(readerModel("Virtual PCD 00 00")).toBe("Virtual PCD 00 00");
    expect(readerModel("Identiv uTrust 2700 R Smart Card Reader 0")).toBe("Identiv uTrust 2700 R Smart Card Reader 0");
    expect(readerModel("Reader 12345678ABCDEF 0")).toBe("Reader … 0");
  });

  it("report text loses the home folder and the user name", () => {
    expect(scrub("/home/taro/.config/x and taro", "/home/taro", "taro")).toBe("~/.config/x and <user>");
  });
});
