/** The extension's ids (extension-ids.json): what every host installation allows. */
import ids from "./extension-ids.json";
import release from "./release.json";

/**
 * Every Chrome-family id a host allows: the development id, then each store's once it is known
 * (extension-ids.json "stores"; null until the listing exists). Pure, for tests with a made-up id.
 */
export function allowedChromeIds(j: { chrome: string; stores?: Record<string, string | null> } = ids): string[] {
  const store = Object.values(j.stores ?? {}).filter(
    (v): v is string => typeof v === "string" && /^[a-p]{32}$/.test(v),
  );
  return [...new Set([j.chrome, ...store])];
}

/** All Chrome-family ids the host packages and `jpki-guard install` allow. */
export const CHROME_EXTENSION_IDS: readonly string[] = allowedChromeIds();

/** The Chrome-family id, fixed by the development key (extension/extension-key.json). */
export const CHROME_EXTENSION_ID: string = ids.chrome;
/** The Firefox add-on id (browser_specific_settings.gecko.id). */
export const FIREFOX_ADDON_ID: string = ids.firefox;

/** Where the release packages are downloaded (release.json: the one configured place). */
export const DOWNLOAD_URL: string = release.downloadUrl;
