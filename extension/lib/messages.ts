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
