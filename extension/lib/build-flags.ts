/**
 * Build-time flags (WXT's vite `define`, wxt.config.ts), like the bridge's
 * `__JPKI_GUARD_RELEASE__` (bridge/build.mjs). `__JPKI_GUARD_E2E__` is true
 * only in the end-to-end tests' build, `wxt build --mode e2e`
 * (`.output/chrome-mv3-e2e`, `.output/firefox-mv3-e2e`); `wxt build` and
 * `wxt zip`, whose output the release and the stores carry, build it false,
 * and the test hooks it guards are left out of their code.
 */
export const E2E_MODE = "e2e";

export function buildDefines(mode: string): { __JPKI_GUARD_E2E__: "true" | "false" } {
  return { __JPKI_GUARD_E2E__: mode === E2E_MODE ? "true" : "false" };
}
