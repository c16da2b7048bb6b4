/** Replaced at build time (lib/build-flags.ts, wxt.config.ts): true only in `wxt build --mode e2e`. */
declare const __JPKI_GUARD_E2E__: boolean;
