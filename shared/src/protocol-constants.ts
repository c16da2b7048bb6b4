/**
 * Protocol constants without any dependency, so that the native host can
 * send its hello before loading zod.
 */
import nativeHost from "./native-host.json";

export const PROTOCOL_VERSION = 1;
/** The native-messaging host's name (native-host.json: also read by the release packaging). */
export const HOST_NAME: string = nativeHost.name;
/** Incoming messages (extension -> host) larger than this are refused. */
export const MAX_REQUEST_BYTES = 8 * 1024;
/** Chromium's limit for one message host -> extension. */
export const MAX_REPLY_BYTES = 1024 * 1024;
export const COMMANDS = ["status", "watch", "unwatch", "diagnose", "readSignatureCertificate", "quit"] as const;
export type Command = (typeof COMMANDS)[number];
