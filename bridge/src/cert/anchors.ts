/**
 * Trust anchors: the J-LIS JPKI CA certificates (public), bundled as text so
 * that the single-file host and CLI carry them.
 */
import auth2015 from "../../anchors/auth_ca_2015.pem?raw";
import auth2023 from "../../anchors/auth_ca_2023.pem?raw";
import sign2015 from "../../anchors/sign_ca_2015.pem?raw";
import sign2023 from "../../anchors/sign_ca_2023.pem?raw";

export interface AnchorSource {
  purpose: "auth" | "sign";
  generation: "2015" | "2019" | "2023";
  pem: string;
}

export const JLIS_ANCHORS: AnchorSource[] = [
  { purpose: "auth", generation: "2015", pem: auth2015 },
  { purpose: "auth", generation: "2023", pem: auth2023 },
  { purpose: "sign", generation: "2015", pem: sign2015 },
  { purpose: "sign", generation: "2023", pem: sign2023 },
];
