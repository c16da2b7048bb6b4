export declare function askedFor(manifest: Record<string, unknown>): string[];
export declare function checkKit(manifest: Record<string, unknown>, reasons?: Record<string, unknown>): void;
export declare function storeZip(buildDir: string, out: string, epoch: number): Record<string, unknown>;
export declare function kit(epoch: number): string;
