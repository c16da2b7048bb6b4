/** The extension's ids (extension-ids.json): what every host installation allows. */
import ids from "./extension-ids.json";

/** The Chrome-family id, fixed by the development key (extension/extension-key.json). */
export const CHROME_EXTENSION_ID: string = ids.chrome;
/** The Firefox add-on id (browser_specific_settings.gecko.id). */
export const FIREFOX_ADDON_ID: string = ids.firefox;
