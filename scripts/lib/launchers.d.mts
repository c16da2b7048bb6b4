export declare const CLEAN_ENV: { sh: string[]; bat: string[] };
export declare function shLauncher(dir: string, script: string): string;
export declare function batLauncher(script: string): string;
export declare function releaseScript(name: string): string;
