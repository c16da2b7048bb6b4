/** unwatch: no more pushed statuses. */
import type { CommandHandler } from "./context.js";

export const unwatch: CommandHandler<"unwatch"> = async (ctx) => {
  ctx.stopWatching();
  return { watching: false };
};
