/** A bad command line: exit 64 with the message, never a stack trace. */
export class UsageError extends Error {}
