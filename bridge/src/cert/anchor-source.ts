/** One bundled J-LIS CA certificate (the generated anchors.ts lists them). */
export interface AnchorSource {
  purpose: "auth" | "sign";
  generation: "2015" | "2019" | "2023";
  file: string;
  /** The CA's name as facts.ts writes it (dnString), and its subject key id: precomputed from the PEM. */
  subject: string;
  ski: string;
  pem: string;
}
