export interface Runtime {
  pkg: string;
  version: string;
  file: string;
  integrity: string;
}
export declare const RUNTIMES: Record<string, Runtime>;
export declare function integrityOf(file: string): string;
export declare function verifyTarball(file: string, r: Runtime): void;
export declare function runtime(
  name: string,
  options?: { cache?: string; table?: Record<string, Runtime>; fetch?: (spec: string, to: string) => void },
): string;
