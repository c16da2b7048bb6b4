/** One configured download place (release.json): the README, the deployment guide and the popup name it. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DOWNLOAD_URL } from "./ids.js";

const root = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), "utf8");

describe("where to download", () => {
  it("is one https URL", () => {
    expect(DOWNLOAD_URL).toMatch(/^https:\/\/[a-z0-9.-]+\/[\w/.-]*$/);
  });

  it.each(["README.md", "docs/deploy.md"])("%s names it, and no other download address of ours", (file) => {
    const text = root(file);
    expect(text).toContain(DOWNLOAD_URL);
    const ours = [...text.matchAll(/https:\/\/jpki-guard\.org\/[^\s)`'"]*/g)].map((m) => m[0]);
    expect(ours.filter((u) => u !== DOWNLOAD_URL && u !== "https://jpki-guard.org/")).toEqual([]);
  });

  it("the popup's install page links it", () => {
    expect(root("extension/entrypoints/popup/main.ts")).toMatch(/href: DOWNLOAD_URL/);
  });

  it("CHANGELOG.md has notes for this version", () => {
    const { version } = JSON.parse(root("package.json")) as { version: string };
    expect(root("CHANGELOG.md")).toContain(`\n## ${version}\n`);
  });
});
