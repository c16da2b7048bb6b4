// Who the host packages allow, from shared/src/extension-ids.json: the development Chrome id, each
// store's id once known ("stores"), and the Firefox add-on id. The same rule as shared/src/ids.ts
// allowedChromeIds (scripts/lib/allowed.test.ts checks they agree).
export function allowedFrom(ids) {
  const store = Object.values(ids.stores ?? {}).filter((v) => typeof v === "string" && /^[a-p]{32}$/.test(v));
  const chrome = [...new Set([ids.chrome, ...store])];
  return { chromeOrigins: chrome.map((id) => `chrome-extension://${id}/`), firefox: [ids.firefox] };
}
