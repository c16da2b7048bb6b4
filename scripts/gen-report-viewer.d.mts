export const VIEWER_PATH: string;
export function buildViewerHtml(): Promise<string>;
