/**
 * Messages inside the extension (content script / popup / options ->
 * background), one table like the host protocol's COMMAND_TABLE: message
 * type -> its fields' schema (validated on arrival; sender.ts decides who
 * may send which) -> its result's type. A message is its type and its
 * fields, nothing else. Results come from our own background: typed by the
 * table, not validated.
 */
import type {
  ChecklistEntry,
  DiagnoseResult,
  Environment,
  ErrorBody,
  Finding,
  PageSeen,
  PortalId,
  Status,
} from "@jpki-guard/shared";
import * as z from "zod/mini";
import type { Banner } from "./banner";
import type { BridgeState } from "./bridge";
import type { PortalAction } from "./portals";
import type { Settings } from "./settings";
import type { GateResult } from "./signature-gate";

/** The page findings the popup shows: those of the portal tab opened last, else of Mynaportal's login. */
export interface PageFindings {
  portal: PortalId | null;
  action: PortalAction;
  findings: Finding[];
  /** The page has reported what it showed of the official extension and app (Mynaportal tabs only). */
  officialAppChecked: boolean;
  /** The platform the portal's rules were judged against (null: not known, no rule applied). */
  platform: Pick<Environment, "os" | "brand" | "windows"> | null;
}

/** What the popup shows (popup-state, check-again). */
export interface PopupState {
  bridge: BridgeState;
  status: Status | null;
  settings: Settings;
  error: ErrorBody | null;
  /** A host watches the card now; when not, `status` is the last known state, true at `asOf` (ISO). */
  live: boolean;
  asOf: string | null;
  /** The page's own findings (environment, official app): the portal tab opened last, else Mynaportal's login. */
  page: PageFindings;
  /**
   * The checklist for that page (shared pageChecklist): its findings and the card's for its action, in
   * the banner's order, then the card's findings that concern only the other action.
   */
  checklist: ChecklistEntry[];
  /** The first-use question: asked until the citizen chooses, never when an administrator preset it. */
  municipality: { code: string | null; managed: boolean; preselect: string | null };
}

/** The help-desk report, or why there is none. */
export type DiagnoseAnswer =
  | {
      ok: true;
      report: DiagnoseResult;
      /** What only the extension saw, for the saved report's `page`: codes, portal, platform; no address. */
      page: PageSeen;
    }
  | { ok: false; error: ErrorBody };

/** Each message's result. */
export interface MessageResults {
  "portal-status": Banner;
  "official-app": Banner;
  "popup-state": PopupState;
  "check-again": PopupState;
  diagnose: DiagnoseAnswer;
  "read-signature": GateResult;
  "settings-changed": { ok: true };
}

export type MessageType = keyof MessageResults;

/** Each message's fields besides its type (the same keys as MessageResults: checked both ways). */
export const MESSAGE_TABLE = {
  "portal-status": {},
  // What a Mynaportal page showed of the official extension and app: detected or not, nothing else.
  "official-app": { extension: z.boolean(), app: z.boolean() },
  "popup-state": {},
  "check-again": {},
  diagnose: {},
  "read-signature": { pin: z.string().check(z.maxLength(32)) },
  "settings-changed": {},
} as const satisfies { [T in MessageType]: Record<string, z.ZodMiniType> };

const message = <T extends MessageType>(type: T) => z.strictObject({ type: z.literal(type), ...MESSAGE_TABLE[type] });

export const InternalMessageSchema = z.discriminatedUnion("type", [
  message("portal-status"),
  message("official-app"),
  message("popup-state"),
  message("check-again"),
  message("diagnose"),
  message("read-signature"),
  message("settings-changed"),
]);
export type InternalMessage = z.infer<typeof InternalMessageSchema>;
export type MessageOf<T extends MessageType> = Extract<InternalMessage, { type: T }>;
