/** The report file's schema version this program writes and reads (no zod: `doctor --report` loads this). */
export const REPORT_SCHEMA_VERSION = 1;
/** The largest report file read (a real one is a few KiB). */
export const MAX_REPORT_FILE_BYTES = 1024 * 1024;
