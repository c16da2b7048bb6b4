/** The CLI's exit codes (listed in --help). */
export const EXIT = {
  ready: 0,
  attention: 1,
  blocked: 2,
  unknown: 3,
  usage: 64,
  /** The input file is not valid (sysexits EX_DATAERR). */
  dataError: 65,
  failure: 70,
} as const;
