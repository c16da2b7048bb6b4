/** The report viewer's script (bundled inline into docs/report-viewer.html). */
import { start } from "./report-viewer.js";

start();
