/** The extension's ids (extension-ids.json): what every host installation allows. */
import ids from "./extension-ids.json";
import release from "./release.json";

/** The Chrome-family id, fixed by the development key (extension/extension-key.json). */
export const CHROME_EXTENSION_ID: string = ids.chrome;
/** The Firefox add-on id (browser_specific_settings.gecko.id). */
export const FIREFOX_ADDON_ID: string = ids.firefox;

/** Where the release packages are downloaded (release.json: the one configured place). */
export const DOWNLOAD_URL: string = release.downloadUrl;
