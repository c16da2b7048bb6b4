/** The host's commands, one file each, by the protocol's command table. */
import type { Command } from "@jpki-guard/shared";
import type { CommandHandler } from "./context.js";
import { diagnose } from "./diagnose.js";
import { quit } from "./quit.js";
import { readSignatureCertificate } from "./read-signature.js";
import { status } from "./status.js";
import { unwatch } from "./unwatch.js";
import { watch } from "./watch.js";

export type { CommandContext, CommandHandler, StatusParams } from "./context.js";

export const COMMAND_HANDLERS: { [C in Command]: CommandHandler<C> } = {
  status,
  watch,
  unwatch,
  diagnose,
  readSignatureCertificate,
  quit,
};
