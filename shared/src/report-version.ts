/**
 * The newest report file schema this program reads and writes (no zod: `doctor --report` loads this).
 * 1: the card (checklist, facts, verdict codes, municipality). 2: the popup's `page` with the page's
 * findings, its portal and the platform judged (issue 23). A file is written with the lowest schema that
 * describes it, so a desk with an older jpki-guard still reads every report without page findings.
 */
export const REPORT_SCHEMA_VERSION = 2;

/** The schema a report file is written with: 2 when it carries what the popup saw of the page, else 1. */
export function reportSchemaFor(hasPage: boolean): 1 | 2 {
  return hasPage ? 2 : 1;
}

/** The largest report file read (a real one is a few KiB). */
export const MAX_REPORT_FILE_BYTES = 1024 * 1024;
