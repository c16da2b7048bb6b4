/**
 * What a host command may use of its session: the transport, the clock, the
 * status reused until something changes, watching, and quitting. One file per
 * command (this folder); the session validates, orders the replies and
 * dispatches through COMMAND_HANDLERS.
 */
import type { Action, CardFacts, Command, DoctorItem, ParamsOf, ResultOf, Status } from "@jpki-guard/shared";
import type { Transport } from "../../transport/types.js";

export type StatusParams = NonNullable<ParamsOf<"status">>;
export type WatchParams = NonNullable<ParamsOf<"watch">>;

export interface CommandContext {
  readonly transport: Transport;
  now(): Date;
  /** The card's status for these params: the last read while nothing changed, else a new read. */
  status(p: StatusParams): Promise<Status>;
  /** Facts judged for an action, with the request's municipality (none: national guidance). */
  judge(facts: CardFacts, action: Action, p: { municipality?: string }): Status;
  /**
   * Push a new status (with these params) on every card change, until
   * stopWatching; `inUse` (default on): also poll the readers' "in use" flag.
   */
  startWatching(p: WatchParams): void;
  stopWatching(): void;
  /** The user acted on the card: the next status reads it again. */
  forgetLastRead(): void;
  /** End the session after this reply. */
  quit(): void;
  /** The doctor's installation items (browsers, manifests, which install), for diagnose. */
  installation(): Promise<DoctorItem[]>;
}

export type CommandHandler<C extends Command> = (ctx: CommandContext, params: ParamsOf<C>) => Promise<ResultOf<C>>;
