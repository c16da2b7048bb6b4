export declare function allowedFrom(ids: { chrome: string; firefox: string; stores?: Record<string, string | null> }): {
  chromeOrigins: string[];
  firefox: string[];
};
