/** watch: the status now, then a new one pushed on every card change (same params). */
import type { CommandHandler } from "./context.js";

export const watch: CommandHandler<"watch"> = (ctx, params) => {
  ctx.startWatching(params ?? {});
  return ctx.status(params ?? {});
};
