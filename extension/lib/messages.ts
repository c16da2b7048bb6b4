/** Messages inside the extension (content script / popup / options -> background), validated. */
import { z } from "zod";

export const InternalMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("portal-status") }).strict(),
  z.object({ type: z.literal("popup-state") }).strict(),
  z.object({ type: z.literal("check-again") }).strict(),
  z.object({ type: z.literal("diagnose") }).strict(),
  z.object({ type: z.literal("read-signature"), pin: z.string().max(32) }).strict(),
  z.object({ type: z.literal("settings-changed") }).strict(),
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
