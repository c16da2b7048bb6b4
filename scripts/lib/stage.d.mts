export type ReleaseOs = "linux" | "windows" | "macos";
export declare const TARGETS: Record<ReleaseOs, { node: string; koffi: string[]; exe: string }>;
export declare function stage(
  os: ReleaseOs,
  dest: string,
  options?: { bundle?: string },
): { node: string; app: string };
