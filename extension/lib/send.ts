/**
 * Sending to the background from the popup and the options page, typed by
 * the extension's message table (messages.ts; types only, so the pages do
 * not carry its schemas: the background validates).
 */
import type { InternalMessage, MessageResults } from "./messages";

/** Send a message to the background; the answer is typed by the table. */
export type Send = <M extends InternalMessage>(m: M) => Promise<MessageResults[M["type"]]>;

/** A typed send over the browser's untyped one (runtime.sendMessage). */
export function typedSend(sendMessage: (m: unknown) => Promise<unknown>): Send {
  return <M extends InternalMessage>(m: M) => sendMessage(m) as Promise<MessageResults[M["type"]]>;
}
