/**
 * Everything the card checks need without the wire schemas: errors, facts,
 * verdict rules, guidance, message catalogues, Japan time. No zod: the CLI's
 * `check` imports this and starts faster for it. The schemas (facts-schema,
 * verdict-schema, guidance/schema, protocol) come with the full entry point
 * ("@jpki-guard/shared"), used by the native host and the extension.
 */

export * from "./checklist.js";
export * from "./doctor-text.js";
export * from "./error-body.js";
export * from "./errors.js";
export * from "./facts.js";
export * from "./guidance/index.js";
export * from "./help-desk/explain.js";
export * from "./ids.js";
export * from "./judge.js";
export * from "./messages.js";
export * from "./official-app.js";
export * from "./protocol-constants.js";
export type { DiagnoseResult, DoctorItem, ReportCertificate, ReportFacts } from "./report-schema.js";
export * from "./report-version.js";
export * from "./time.js";
export * from "./verdict.js";
