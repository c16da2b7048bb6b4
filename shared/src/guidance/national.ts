/**
 * National guidance: what J-LIS and the card rules say, valid everywhere.
 * Facts from ../../../../shared/docs/jpki-card.md and the seed page; the
 * sentences are ours.
 */
import type { Text } from "./schema.js";

export const NATIONAL = {
  authPinTries: 3,
  signaturePinTries: 5,
  renewalOpensMonthsBefore: 3,
  validity: {
    ja: "電子証明書の有効期間は、発行後5回目の誕生日まで(カードの有効期限が先に来る場合はその日まで)です。",
    en: "The certificates are valid until the holder's 5th birthday after issuance, or until the card itself expires if that comes first.",
  } satisfies Text,
  renewalWhere: {
    ja: "更新は住民票のある市区町村のマイナンバーカード窓口で行います(本人がカードを持参)。",
    en: "Renew at the My Number card counter of the municipality where you are registered, bringing the card yourself.",
  } satisfies Text,
  pinResetWindow: {
    ja: "ロックの解除と暗証番号の再設定は、市区町村の窓口でできます(本人がカードを持参。代理人の場合は照会書兼回答書の手続きで2回来庁)。",
    en: "Unlocking and resetting a PIN is done at your municipality's counter (in person with the card; a proxy needs two visits using the 照会書兼回答書 form).",
  } satisfies Text,
  convenienceStoreReset: {
    ja: "署名用電子証明書の暗証番号(英数字6〜16桁)だけは、セブン‐イレブン、ローソン、イオン(本州・四国の「イオン」「イオンスタイル」など)の店頭でも初期化・再設定できます。事前に専用のスマートフォンアプリを入れ、利用者証明用の4桁の暗証番号を入力する必要があります。4桁の暗証番号はコンビニでは再設定できません。",
    en: "Only the signature PIN (6-16 letters and digits) can also be reset in store at Seven-Eleven, Lawson and AEON (AEON / AEON STYLE stores in Honshu and Shikoku). You need the JPKI smartphone app installed beforehand and must enter your 4-digit authentication PIN. The 4-digit PIN cannot be reset at a store.",
  } satisfies Text,
  signatureRevokedOnChange: {
    ja: "住所・氏名(旧氏・通称を含む)・生年月日・性別が変わると、署名用電子証明書は自動的に失効します(引越しや結婚など)。利用者証明用電子証明書はそのまま使えます。転入届や婚姻届の際にカードを持参すると新しい証明書を発行できます。",
    en: "The signature certificate is revoked automatically when your address, name (including former name or alias), date of birth or gender changes, e.g. after moving house or marrying. The authentication certificate stays valid. Bring the card when you report the move or marriage to get a new one.",
  } satisfies Text,
  noSignatureCertificate: {
    ja: "署名用電子証明書は15歳未満の人と成年被後見人には発行されません。カードの申請時に不要を選んだ場合も入っていません。後から市区町村の窓口で発行できます。",
    en: "People under 15 and adult wards do not get a signature certificate, and it is missing if it was declined when applying for the card. It can be issued later at your municipality's counter.",
  } satisfies Text,
  revocationNotChecked: {
    ja: "失効しているかどうかは、このパソコンだけでは確認できません(失効情報は登録された事業者にしか公開されていません)。",
    en: "Whether a certificate has been revoked cannot be checked from this computer: revocation data is only given to registered service providers.",
  } satisfies Text,
  genericWindow: {
    ja: "お住まいの市区町村のマイナンバーカード窓口",
    en: "Your municipality's My Number card counter",
  } satisfies Text,
} as const;
