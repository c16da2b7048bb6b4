/** Messages inside the extension (content script / popup / options -> background), validated. */
import * as z from "zod/mini";

export const InternalMessageSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("portal-status") }),
  z.strictObject({ type: z.literal("popup-state") }),
  z.strictObject({ type: z.literal("check-again") }),
  z.strictObject({ type: z.literal("diagnose") }),
  z.strictObject({ type: z.literal("read-signature"), pin: z.string().check(z.maxLength(32)) }),
  z.strictObject({ type: z.literal("settings-changed") }),
]);
export type InternalMessage = z.infer<typeof InternalMessageSchema>;

/** Which kind of sender may send which message. */
export const FROM_PORTAL = new Set(["portal-status"]);
export const FROM_EXTENSION_PAGE = new Set([
  "popup-state",
  "check-again",
  "diagnose",
  "read-signature",
  "settings-changed",
]);
/** Only the popup may send a PIN. */
export const FROM_POPUP_ONLY = new Set(["read-signature"]);
