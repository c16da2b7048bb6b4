/** quit: say goodbye, then the session ends. */
import type { CommandHandler } from "./context.js";

export const quit: CommandHandler<"quit"> = async (ctx) => {
  ctx.quit();
  return { bye: true };
};
