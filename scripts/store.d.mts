export declare function askedFor(manifest: Record<string, unknown>): string[];
export declare function checkKit(manifest: Record<string, unknown>, reasons?: Record<string, unknown>): void;
export declare function storeZip(buildDir: string, out: string, epoch: number): Record<string, unknown>;
export declare function kit(epoch: number): string;
export declare function uploadChrome(
  zipBytes: Uint8Array,
  env?: Record<string, string | undefined>,
  fetchImpl?: typeof fetch,
): Promise<void>;
export declare function uploadEdge(
  zipBytes: Uint8Array,
  env?: Record<string, string | undefined>,
  fetchImpl?: typeof fetch,
): Promise<void>;
