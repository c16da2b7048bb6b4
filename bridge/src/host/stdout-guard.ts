/**
 * Keep stdout for native-messaging frames only: afterwards console.log and
 * any process.stdout.write (from us or a chatty dependency) go to stderr.
 * Returns the one writer that still reaches stdout.
 */
export function guardStdout(): (b: Uint8Array) => boolean {
  const rawWrite = process.stdout.write.bind(process.stdout) as (b: Uint8Array) => boolean;
  const toStderr = ((chunk: unknown, enc?: unknown, cb?: unknown) =>
    (process.stderr.write as (...a: unknown[]) => boolean)(chunk, enc, cb)) as typeof process.stdout.write;
  process.stdout.write = toStderr;
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;
  console.warn = console.error;
  console.table = console.error;
  console.dir = console.error;
  return rawWrite;
}
