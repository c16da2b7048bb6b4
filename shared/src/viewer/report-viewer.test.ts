/** docs/report-viewer.html is generated: it must match its sources, and stay self-contained. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildViewerHtml, VIEWER_PATH } from "../../../scripts/gen-report-viewer.mjs";

describe("report viewer page", () => {
  it("docs/report-viewer.html is up to date (run node scripts/gen-report-viewer.mjs)", async () => {
    expect(readFileSync(VIEWER_PATH, "utf8") === (await buildViewerHtml())).toBe(true);
  });

  it("is one file: no external script, style, image or frame, and a policy that allows no network", async () => {
    const html = await buildViewerHtml();
    expect(html).not.toMatch(/<(script|img|iframe|link|object|embed)\b[^>]*\s(src|href|data)=/i);
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).toMatch(/http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-/);
    expect(html).toContain("connect-src 'none'");
    // The inline script cannot end early.
    const script = html.slice(html.indexOf("<script>") + 8, html.lastIndexOf("</script>"));
    expect(script).not.toMatch(/<\/script/i);
    expect(script).not.toContain("innerHTML");
  });
});
