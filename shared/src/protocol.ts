/**
 * The native-messaging protocol between the extension and the host: the one
 * place the wire format is defined. Versioned; every request is validated
 * with exact keys (unknown keys, wrong types, extra fields are errors).
 */
import { z } from "zod";
import { ERROR_CODES } from "./errors.js";
import { CardFactsSchema } from "./facts.js";
import { COMMANDS, PROTOCOL_VERSION } from "./protocol-constants.js";
import { ACTIONS, VerdictSchema } from "./verdict.js";

export * from "./protocol-constants.js";

export const PROTOCOL_ERROR_CODES = [
  ...ERROR_CODES,
  "bad-request",
  "too-large",
  "version-mismatch",
  "forbidden-origin",
  "unknown-command",
] as const;
export type ProtocolErrorCode = (typeof PROTOCOL_ERROR_CODES)[number];

const id = z.string().min(1).max(64);
const v = z.literal(PROTOCOL_VERSION);
const readerName = z.string().min(1).max(256);

export const StatusParamsSchema = z
  .object({
    action: z.enum(ACTIONS).optional(),
    municipality: z
      .string()
      .regex(/^[a-z0-9-]{2,40}$/)
      .optional(),
    reader: readerName.optional(),
    /** The user asked to check now: read the card even if nothing changed. */
    fresh: z.boolean().optional(),
  })
  .strict();

export const RequestSchema = z.discriminatedUnion("command", [
  z.object({ id, v, command: z.literal("status"), params: StatusParamsSchema.optional() }).strict(),
  z.object({ id, v, command: z.literal("watch"), params: StatusParamsSchema.optional() }).strict(),
  z.object({ id, v, command: z.literal("unwatch") }).strict(),
  z.object({ id, v, command: z.literal("diagnose"), params: StatusParamsSchema.optional() }).strict(),
  z
    .object({
      id,
      v,
      command: z.literal("readSignatureCertificate"),
      params: z
        .object({
          // Format is checked by the bridge with a clear message; here only the size.
          pin: z.string().min(1).max(32),
          reader: readerName.optional(),
          municipality: z
            .string()
            .regex(/^[a-z0-9-]{2,40}$/)
            .optional(),
        })
        .strict(),
    })
    .strict(),
  z.object({ id, v, command: z.literal("quit") }).strict(),
]);
export type Request = z.infer<typeof RequestSchema>;
export type Command = Request["command"];

export const ErrorBodySchema = z
  .object({
    code: z.enum(PROTOCOL_ERROR_CODES),
    message: z.string().max(2000),
    /** For version-mismatch: which side to update. */
    update: z.enum(["extension", "host"]).optional(),
    triesLeft: z.number().int().min(0).max(15).optional(),
  })
  .strict();
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export const StatusSchema = z.object({ facts: CardFactsSchema, verdict: VerdictSchema }).strict();
export type Status = z.infer<typeof StatusSchema>;

export const DiagnoseSchema = z
  .object({
    text: z.string().max(20_000),
    items: z.array(
      z.object({ id: z.string(), ok: z.boolean(), detail: z.string(), next: z.string().optional() }).strict(),
    ),
    facts: CardFactsSchema,
    verdict: z.object({ level: z.string(), findings: z.array(z.string()) }).strict(),
  })
  .strict();

export const HelloSchema = z
  .object({
    type: z.literal("hello"),
    protocol: z.number().int().positive(),
    host: z.object({ name: z.string(), version: z.string() }).strict(),
    capabilities: z.array(z.enum(COMMANDS)),
  })
  .strict();

export const MessageFromHostSchema = z.discriminatedUnion("type", [
  HelloSchema,
  z.object({ type: z.literal("reply"), id, command: z.enum(COMMANDS), result: z.unknown() }).strict(),
  z.object({ type: z.literal("error"), id: id.nullable(), error: ErrorBodySchema }).strict(),
  z.object({ type: z.literal("event"), event: z.literal("status"), status: StatusSchema }).strict(),
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
        message: `the extension speaks protocol ${rawV}, this host speaks ${PROTOCOL_VERSION}`,
        update: rawV > PROTOCOL_VERSION ? "host" : "extension",
      },
    };
  }
  const cmd = typeof json === "object" && json !== null ? (json as { command?: unknown }).command : undefined;
  if (typeof cmd === "string" && !(COMMANDS as readonly string[]).includes(cmd)) {
    return {
      ok: false,
      id: maybeId,
      error: { code: "unknown-command", message: `unknown command "${cmd.slice(0, 40)}"` },
    };
  }
  const r = RequestSchema.safeParse(json);
  if (r.success) return { ok: true, request: r.data };
  const first = r.error.issues[0]!;
  const where = first.path.join(".") || "(message)";
  return {
    ok: false,
    id: maybeId,
    error: { code: "bad-request", message: `${where}: ${first.message}`.slice(0, 500) },
  };
}
