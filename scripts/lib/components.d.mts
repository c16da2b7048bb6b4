export interface ThirdPartyComponent {
  name: string;
  version: string;
  licence: string;
  copyright: string[];
  licenceText: string | null;
  homepage: string | null;
  how: string;
  integrity?: string;
  npmName?: string;
}
export declare function bundledPackages(): ThirdPartyComponent[];
export declare function dataPackages(): ThirdPartyComponent[];
export declare function koffiPackages(os: "linux" | "windows" | "macos"): ThirdPartyComponent[];
export declare function nodeRuntime(os: "linux" | "windows" | "macos"): ThirdPartyComponent;
export declare function extensionPackages(): ThirdPartyComponent[];
export declare function extensionNotices(): string;
export declare function components(os: "linux" | "windows" | "macos"): ThirdPartyComponent[];
export declare function thirdPartyNotices(os: "linux" | "windows" | "macos", eol?: string): string;
