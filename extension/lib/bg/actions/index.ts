/** The background's message handlers, one file each, by the extension's message table (messages.ts). */
import type { InternalMessage, MessageType } from "../../messages";
import type { Sender } from "../../sender";
import { checkAgain } from "./check-again";
import type { ActionHandler, BackgroundContext } from "./context";
import { diagnose } from "./diagnose";
import { officialApp } from "./official-app";
import { popupState } from "./popup-state";
import { portalStatus } from "./portal-status";
import { readSignature } from "./read-signature";
import { settingsChanged } from "./settings-changed";

export type { ActionHandler, BackgroundContext } from "./context";

export const ACTIONS: { [T in MessageType]: ActionHandler<T> } = {
  "portal-status": portalStatus,
  "official-app": officialApp,
  "popup-state": popupState,
  "check-again": checkAgain,
  diagnose,
  "read-signature": readSignature,
  "settings-changed": settingsChanged,
};

/** Run a validated, admitted message's handler. */
export function runAction(bg: BackgroundContext, m: InternalMessage, sender: Sender): Promise<unknown> {
  // The message was validated against the same table: it is the one its handler takes.
  const run = ACTIONS[m.type] as (bg: BackgroundContext, m: InternalMessage, sender: Sender) => Promise<unknown>;
  return run(bg, m, sender);
}
