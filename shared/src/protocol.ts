/**
 * The native-messaging protocol between the extension and the host: the one
 * place the wire format is defined. Versioned; every request is validated
 * with exact keys (unknown keys, wrong types, extra fields are errors).
 */
import * as z from "zod/mini";
import { ANY_ERROR_CODES } from "./errors.js";
import { CardFactsSchema } from "./facts-schema.js";
import { COMMANDS, type Command, PROTOCOL_VERSION } from "./protocol-constants.js";
import { DiagnoseResultSchema } from "./report-schema.js";
import { ACTIONS } from "./verdict.js";
import { VerdictSchema } from "./verdict-schema.js";

export * from "./protocol-constants.js";

/** Every error code an answer can carry: the rows of the one error table (errors.ts). */
export const PROTOCOL_ERROR_CODES = ANY_ERROR_CODES;

const id = z.string().check(z.minLength(1), z.maxLength(64));
const v = z.literal(PROTOCOL_VERSION);
const readerName = z.string().check(z.minLength(1), z.maxLength(256));
const municipalityId = z.string().check(z.regex(/^[a-z0-9-]{2,40}$/));

export const StatusParamsSchema = z.strictObject({
  action: z.optional(z.enum(ACTIONS)),
  municipality: z.optional(municipalityId),
  reader: z.optional(readerName),
  /** The user asked to check now: read the card even if nothing changed. */
  fresh: z.optional(z.boolean()),
});

/**
 * watch: the status params, and whether the host also polls the readers'
 * "in use" flag (every 250 ms: another program's PIN try, as when the
 * official software logs in). The extension asks for it only while a
 * portal tab is open; card and reader changes are seen either way (blocking
 * waits). Absent: on (as before the field existed).
 */
export const WatchParamsSchema = z.strictObject({
  ...StatusParamsSchema.shape,
  inUse: z.optional(z.boolean()),
});

const ReadSignatureParamsSchema = z.strictObject({
  // Format is checked by the bridge with a clear message; here only the size.
  pin: z.string().check(z.minLength(1), z.maxLength(32)),
  reader: z.optional(readerName),
  municipality: z.optional(municipalityId),
});

export const StatusSchema = z.strictObject({ facts: CardFactsSchema, verdict: VerdictSchema });
export type Status = z.infer<typeof StatusSchema>;

/**
 * The protocol in one table: each command, its params and its result. The
 * host builds its replies to these types, and the extension validates every
 * reply against the result schema of the command it asked.
 */
export const COMMAND_TABLE = {
  status: { params: z.optional(StatusParamsSchema), result: StatusSchema },
  watch: { params: z.optional(WatchParamsSchema), result: StatusSchema },
  unwatch: { params: null, result: z.strictObject({ watching: z.literal(false) }) },
  diagnose: { params: z.optional(StatusParamsSchema), result: DiagnoseResultSchema },
  readSignatureCertificate: { params: ReadSignatureParamsSchema, result: StatusSchema },
  quit: { params: null, result: z.strictObject({ bye: z.literal(true) }) },
} as const satisfies Record<Command, { params: z.ZodMiniType | null; result: z.ZodMiniType }>;

export type ParamsOf<C extends Command> = (typeof COMMAND_TABLE)[C]["params"] extends z.ZodMiniType
  ? z.infer<NonNullable<(typeof COMMAND_TABLE)[C]["params"]>>
  : undefined;
export type ResultOf<C extends Command> = z.infer<(typeof COMMAND_TABLE)[C]["result"]>;

export const RequestSchema = z.discriminatedUnion("command", [
  z.strictObject({ id, v, command: z.literal("status"), params: COMMAND_TABLE.status.params }),
  z.strictObject({ id, v, command: z.literal("watch"), params: COMMAND_TABLE.watch.params }),
  z.strictObject({ id, v, command: z.literal("unwatch") }),
  z.strictObject({ id, v, command: z.literal("diagnose"), params: COMMAND_TABLE.diagnose.params }),
  z.strictObject({
    id,
    v,
    command: z.literal("readSignatureCertificate"),
    params: COMMAND_TABLE.readSignatureCertificate.params,
  }),
  z.strictObject({ id, v, command: z.literal("quit") }),
]);
export type Request = z.infer<typeof RequestSchema>;

export const ErrorBodySchema = z.strictObject({
  code: z.enum(PROTOCOL_ERROR_CODES),
  message: z.string().check(z.maxLength(2000)),
  /** For version-mismatch: which side to update. */
  update: z.optional(z.enum(["extension", "host"])),
  triesLeft: z.optional(z.int().check(z.minimum(0), z.maximum(15))),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export const HelloSchema = z.strictObject({
  type: z.literal("hello"),
  // Any version, older or newer: the extension says which part to update (never a silent hang).
  protocol: z.int().check(z.nonnegative(), z.maximum(1000)),
  host: z.strictObject({ name: z.string(), version: z.string() }),
  capabilities: z.array(z.enum(COMMANDS)),
});

const reply = <C extends Command>(command: C) =>
  z.strictObject({ type: z.literal("reply"), id, command: z.literal(command), result: COMMAND_TABLE[command].result });

/** A reply, typed by its command. */
export const ReplySchema = z.discriminatedUnion("command", [
  reply("status"),
  reply("watch"),
  reply("unwatch"),
  reply("diagnose"),
  reply("readSignatureCertificate"),
  reply("quit"),
]);
export type Reply = z.infer<typeof ReplySchema>;

export const MessageFromHostSchema = z.union([
  HelloSchema,
  ReplySchema,
  z.strictObject({ type: z.literal("error"), id: z.nullable(id), error: ErrorBodySchema }),
  z.strictObject({ type: z.literal("event"), event: z.literal("status"), status: StatusSchema }),
]);
export type MessageFromHost = z.infer<typeof MessageFromHostSchema>;

/** Parse and validate one request; the error says what is wrong, in one line. */
export function parseRequest(
  json: unknown,
): { ok: true; request: Request } | { ok: false; id: string | null; error: ErrorBody } {
  const maybeId =
    typeof json === "object" && json !== null && typeof (json as { id?: unknown }).id === "string"
      ? ((json as { id: string }).id.slice(0, 64) as string)
      : null;
  const rawV = typeof json === "object" && json !== null ? (json as { v?: unknown }).v : undefined;
  if (typeof rawV === "number" && Number.isInteger(rawV) && rawV !== PROTOCOL_VERSION) {
    return {
      ok: false,
      id: maybeId,
      error: {
        code: "version-mismatch",
        message: `the extension speaks another protocol version; this host speaks ${PROTOCOL_VERSION}`,
        update: rawV > PROTOCOL_VERSION ? "host" : "extension",
      },
    };
  }
  const cmd = typeof json === "object" && json !== null ? (json as { command?: unknown }).command : undefined;
  if (typeof cmd === "string" && !(COMMANDS as readonly string[]).includes(cmd)) {
    return {
      ok: false,
      id: maybeId,
      // Never the command itself: nothing that was sent is echoed.
      error: { code: "unknown-command", message: `unknown command (this host knows: ${COMMANDS.join(", ")})` },
    };
  }
  const r = RequestSchema.safeParse(json);
  if (r.success) return { ok: true, request: r.data };
  const first = r.error.issues[0]!;
  const where = first.path.join(".") || "(message)";
  // The issue's kind, never its message or the value: nothing that was sent is echoed.
  return {
    ok: false,
    id: maybeId,
    error: { code: "bad-request", message: `${where}: ${issueText(first)}`.slice(0, 500) },
  };
}

/** One issue in a fixed wording (zod/mini carries no message catalogue; no value is quoted). */
function issueText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return `expected ${issue.expected}`;
    case "too_big":
      return `too big (at most ${String(issue.maximum)})`;
    case "too_small":
      return `too small (at least ${String(issue.minimum)})`;
    case "unrecognized_keys":
      return "unknown key";
    case "invalid_value":
      return "not one of the allowed values";
    case "invalid_format":
      return "wrong format";
    case "invalid_union":
      return "matches no allowed form";
    default:
      return "invalid";
  }
}
