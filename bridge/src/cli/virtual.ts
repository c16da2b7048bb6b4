/**
 * Development only: the built-in virtual card behind a private pcscd, for the
 * checkout's `--virtual`, `demo` and `profiles`. Release bundles replace this
 * module with virtual-release.ts (bridge/build.mjs --release), so no test
 * code, test CA or virtual card ships to citizens.
 */
import type { Anchor } from "../cert/facts.js";
import { UsageError } from "./usage.js";

export const DEVELOPMENT = true;

export interface VirtualCard {
  readerName: string;
  pid: number | undefined;
  anchors: Anchor[];
  stop(): Promise<void>;
}

export async function startVirtualCard(profile: string): Promise<VirtualCard> {
  const vc = await import("@jpki-guard/virtual-card");
  const { testAnchor } = await import("../cert/facts.js");
  const { JpkiGuardError } = await import("@jpki-guard/shared/rules");
  let spec: Awaited<ReturnType<typeof vc.loadProfile>>;
  try {
    spec = await vc.loadProfile(profile);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  let rig: Awaited<ReturnType<typeof vc.PcscdRig.start>>;
  try {
    rig = await vc.PcscdRig.start({ card: vc.buildCard(spec) });
  } catch (e) {
    throw new JpkiGuardError(
      "virtual-card-unavailable",
      `the built-in virtual card could not start: ${(e as Error).message}`,
    );
  }
  return {
    readerName: rig.readerName,
    pid: rig.pid,
    anchors: [testAnchor(spec.authCaCertificate, "auth"), testAnchor(spec.signatureCaCertificate, "sign")],
    stop: () => rig.stop(),
  };
}

export async function profileList(): Promise<Array<[string, string]>> {
  const { PROFILE_NAMES, PROFILE_DESCRIPTIONS } = await import("@jpki-guard/virtual-card");
  return PROFILE_NAMES.map((p) => [p, PROFILE_DESCRIPTIONS[p]]);
}
