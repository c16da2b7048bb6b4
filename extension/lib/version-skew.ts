/**
 * What the popup says when the host and the extension speak different
 * protocol versions (the extension updates from a store, the host from a
 * package): which part to update, and how on this computer.
 */
import { PROTOCOL_VERSION } from "@jpki-guard/shared/protocol-constants";
import type { BridgeState } from "./bridge";
import { type Lang, text } from "./ui-text";

export function versionSkewLines(
  lang: Lang,
  s: Extract<BridgeState, { kind: "version-mismatch" }>,
  env: { os: string; firefox: boolean },
): { alert: string; steps: string; versions: string | null } {
  const t = text(lang);
  return {
    alert: t.versionMismatch(s.update),
    steps: s.update === "host" ? t.updateHost(env.os) : t.updateExtension(env.firefox),
    versions: s.hostProtocol === undefined ? null : t.protocolVersions(s.hostProtocol, PROTOCOL_VERSION),
  };
}
