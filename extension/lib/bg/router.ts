/**
 * Runtime messages to the background: who may send what (sender.ts), the
 * message's shape (messages.ts), then its handler (actions/). Anything not
 * admitted gets no answer at all.
 */
import { type InternalMessage, InternalMessageSchema } from "../messages";
import { admits, type Sender, type SenderContext, senderKind } from "../sender";

export function route(
  raw: unknown,
  sender: Sender,
  ctx: SenderContext,
  handle: (m: InternalMessage, sender: Sender) => Promise<unknown>,
): Promise<unknown> | undefined {
  const kind = senderKind(sender, ctx);
  const parsed = InternalMessageSchema.safeParse(raw);
  if (!kind || !parsed.success || !admits(kind, parsed.data.type)) return undefined;
  return handle(parsed.data, sender);
}
