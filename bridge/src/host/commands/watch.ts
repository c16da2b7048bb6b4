/**
 * watch: the status now, then a new one pushed on every card change (same
 * params); `inUse` says whether the readers' "in use" flag is polled too.
 */
import type { CommandHandler } from "./context.js";

export const watch: CommandHandler<"watch"> = (ctx, params) => {
  const { inUse, ...status } = params ?? {};
  ctx.startWatching(inUse === undefined ? status : { ...status, inUse });
  return ctx.status(status);
};
