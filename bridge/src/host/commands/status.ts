/** status: the card's facts and verdict; the last read is reused while nothing changed ("fresh": read now). */
import type { CommandHandler } from "./context.js";

export const status: CommandHandler<"status"> = (ctx, params) => ctx.status(params ?? {});
