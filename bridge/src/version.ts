/**
 * The release version: the repository's package.json, the one the release
 * packages are named by (scripts/lib/package.mjs). Bundled at build (esbuild
 * keeps only this field), so the CLI, the host's hello and the doctor report
 * can never disagree with the package they came in.
 */
import { version } from "../../package.json";

export const VERSION: string = version;
