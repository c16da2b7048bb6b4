/**
 * Message catalogs, Japanese and English. Every finding code and step code
 * has text in both (a unit test checks). Written in our own words; facts
 * (rules, numbers) come from the guidance data.
 */
export type Params = Record<string, string | number>;
type Entry = string | ((p: Params) => string);

const which = (p: Params, ja: boolean) =>
  p.which === "sign"
    ? ja
      ? "署名用電子証明書"
      : "signature certificate"
    : ja
      ? "利用者証明用電子証明書"
      : "authentication certificate";

const ja: Record<string, Entry> = {
  "finding.auth-cert-expired": (p) =>
    `利用者証明用電子証明書の有効期限が ${p.date} に切れています。マイナポータルへのログインやコンビニ交付には使えません。`,
  "finding.auth-cert-not-yet-valid": (p) =>
    `利用者証明用電子証明書はまだ有効になっていません(${p.start} から)。パソコンの日付が正しいか確認してください。`,
  "finding.auth-cert-renewal-window": (p) =>
    `利用者証明用電子証明書の有効期限は ${p.date}(あと ${p.days} 日)です。${p.opens} から更新できる期間に入っています。`,
  "finding.auth-cert-missing":
    "このカードには利用者証明用電子証明書が入っていません。マイナポータルにログインできません。",
  "finding.auth-cert-unreadable": "利用者証明用電子証明書を読み取れませんでした。",
  "finding.sign-cert-expired": (p) =>
    `署名用電子証明書の有効期限が ${p.date} に切れています。e-Tax などで署名できません。`,
  "finding.sign-cert-not-yet-valid": (p) => `署名用電子証明書はまだ有効になっていません(${p.start} から)。`,
  "finding.sign-cert-renewal-window": (p) =>
    `署名用電子証明書の有効期限は ${p.date}(あと ${p.days} 日)です。${p.opens} から更新できる期間に入っています。`,
  "finding.sign-cert-missing": "このカードには署名用電子証明書が入っていません。e-Tax などの電子署名には使えません。",
  "finding.sign-cert-not-checked": (p) =>
    `署名用電子証明書は入っていますが、中身(有効期限・失効)は署名用の暗証番号を入れないと読めないため、まだ確認していません。${
      p.authExpiry ? `有効期限はふつう利用者証明用と同じ ${p.authExpiry} です(未確認)。` : ""
    }`,
  "finding.auth-pin-locked":
    "利用者証明用の暗証番号(数字4桁)がロックされています。ロックを解除するまでログインできません。",
  "finding.auth-pin-last-try": "利用者証明用の暗証番号(数字4桁)は、あと1回間違えるとロックされます。",
  "finding.auth-pin-two-left": "利用者証明用の暗証番号は、残り2回です(一度間違えています)。",
  "finding.sign-pin-locked": "署名用の暗証番号(英数字6〜16桁)がロックされています。再設定するまで署名できません。",
  "finding.sign-pin-last-try": "署名用の暗証番号(英数字6〜16桁)は、あと1回間違えるとロックされます。",
  "finding.sign-pin-two-left": "署名用の暗証番号は、残り2回です。",
  "finding.pin-status-unknown": (p) => `${which(p, true)}の暗証番号の残り回数を読み取れませんでした。`,
  "finding.cert-chain-failed": (p) =>
    `${which(p, true)}の署名を J-LIS の認証局で検証できませんでした。カードのデータが壊れている可能性があります。`,
  "finding.cert-untrusted-issuer": (p) =>
    `${which(p, true)}は J-LIS(公的個人認証サービス)の認証局が発行したものではありません。`,
  "finding.cert-anchor-not-bundled": (p) =>
    `${which(p, true)}は J-LIS の認証局が発行したものと見られますが、その認証局の証明書をこのソフトが持っていないため、署名は検証していません。`,
  "finding.cert-test-ca": "これはテスト用の証明書です(内蔵の仮想カード)。本物のカードではありません。",
  "finding.not-mynumber": "このカードはマイナンバーカードではありません(公的個人認証のアプリケーションがありません)。",
  "finding.juki-card": "これは旧住民基本台帳カード(住基カード)です。その電子証明書はもう使えません。",
  "finding.revocation-not-checked": "失効しているかどうかは、このパソコンからは確認できません。",
  "finding.pcsc-unavailable": "カードリーダのサービス(PC/SC)が止まっています。",
  "finding.no-reader": "ICカードリーダが見つかりません。",
  "finding.reader-not-found": (p) => `指定されたカードリーダ ${p.reader} が見つかりません。`,
  "finding.no-card": "カードリーダにカードが入っていません。",
  "finding.card-busy": "ほかのソフトがカードを使用中です。",
  "finding.card-removed": "読み取りの途中でカードが抜かれました。",
  "finding.card-timeout": "カードが時間内に応答しませんでした。",
  "finding.card-error": "カードが想定外の応答をしました。",
  "finding.bad-response": "カードの応答が壊れていました。",
  "finding.certificate-invalid": "カードの電子証明書のデータを解釈できませんでした。",
  "finding.internal": "jpki-guard の内部で問題が起きました。",

  "step.renew": "お住まいの市区町村のマイナンバーカード窓口で更新してください(本人がカードを持参)。",
  "step.renew-reservation": "更新の予約をしてください。",
  "step.renew-bring": "持ち物を確認してください。",
  "step.renew-not-accepted": "受け付けていない方法があります。",
  "step.window": "窓口に連絡してください。",
  "step.visit-counter":
    "お住まいの市区町村のマイナンバーカード窓口へ(受付時間は市区町村のウェブサイトで確認してください)。",
  "step.issue-certificate": "市区町村の窓口で、カードを持参して電子証明書の発行を申し込めます。",
  "step.no-sign-cert-why":
    "15歳未満の人と成年被後見人には発行されません。カード申請時に不要を選んだ場合も入っていません。",
  "step.check-sign-cert":
    "署名用電子証明書の有効期限を確かめるには、jpki-guard の画面から署名用の暗証番号で確認できます(残り1回のときは行いません)。",
  "step.sign-revoked-on-change":
    "引越し・結婚などで住所・氏名・生年月日・性別が変わると、署名用電子証明書は自動的に失効します(利用者証明用はそのまま使えます)。",
  "step.unlock-pin-window": "市区町村の窓口で、カードを持参してロック解除と暗証番号の再設定ができます。",
  "step.unlock-pin-proxy": "代理人の場合は、照会書兼回答書の手続きのため窓口へ2回行く必要があります。",
  "step.reset-sign-pin-store":
    "数字4桁の暗証番号(利用者証明用)がわかっていれば、署名用の暗証番号はコンビニ(セブン‐イレブンなど)の端末でも再設定できます。先に J-LIS の暗証番号リセット用スマートフォンアプリで本人確認(顔認証)をしてください。",
  "step.reset-auth-pin-store":
    "署名用の暗証番号(英数字6〜16桁)がわかっていれば、数字4桁の暗証番号はセブン‐イレブンの端末でも再設定できます(取り扱いは店舗のチェーンによります)。先に J-LIS の暗証番号リセット用スマートフォンアプリで本人確認(顔認証)をしてください。",
  "step.smartphone-login":
    "スマートフォン用電子証明書をすでに発行しているなら(Android、2025年6月からはiPhoneも)、カードの代わりにスマートフォンでマイナポータルにログインできます。e-Taxの電子署名にも使えるかどうかは、ここでは判断していません。",
  "step.renew-early-keeps-term":
    "期間内に早めに更新しても損はありません。新しい証明書は、更新した日から5回目の誕生日まで有効です。",
  "step.etax-next-day":
    "e-Taxでは、更新した電子証明書が使えるのは更新した日の翌日からです。申告の期限が近いときは早めに更新してください。",
  "step.do-not-guess": "暗証番号が確かでないときは、試さずに先に再設定してください。",
  "step.start-pcscd":
    "カードリーダをいったん抜いて挿し直してください。Windows ではこれでスマートカードのサービスが始まります。Linux では sudo systemctl start pcscd でサービスを起動します。サービスが戻れば、表示は自動で更新されます。",
  "step.connect-reader": "ICカードリーダを接続し、必要ならドライバを入れてください。",
  "step.insert-card": "マイナンバーカードをカードリーダに置いてください(差し込んでください)。",
  "step.close-other-program":
    "カードを使っているほかのソフト(JPKI利用者ソフトなど)を閉じてから、もう一度確認してください。",
  "step.reinsert-card": "カードをいったん外して置き直し、読み取りが終わるまで動かさないでください。",
  "step.use-mynumber-card": "顔写真付きのマイナンバーカードを置いてください。",
  "step.apply-mynumber-card": "マイナンバーカードを申請してください(住基カードの電子証明書は使えません)。",
  "step.check-clock": "パソコンの日付と時刻を確認してください。正しければ、窓口で証明書を確認してもらってください。",
  "step.card-damaged":
    "別のカードリーダでも同じなら、カードが壊れている可能性があります。市区町村の窓口に相談してください。",
  "step.report-problem": "jpki-guard doctor --report でレポートを作り、ヘルプデスクに送ってください。",

  "step.renew-local": (p) =>
    `${p.officeJa}のマイナンバーカード窓口で更新できます。本人がカードを持って行き、窓口で暗証番号を入力します(忘れていたら、その場で再設定を申し出てください)。`,
  "step.visit-office": (p) =>
    `${p.officeJa}のマイナンバーカード窓口へ。受付時間と予約が要るかどうかは、${p.nameJa}のウェブサイトで確かめてください。`,
  "step.unlock-pin-local": (p) =>
    `${p.officeJa}のマイナンバーカード窓口で、ロック解除と暗証番号の再設定ができます。本人がカードを持って行きます。`,
  "step.check-municipality-page": (p) =>
    `予約が必要な市区町村が多いので、行く前に${p.nameJa}のウェブサイトで、予約の要否・受付時間・持ち物を確かめてください。`,
  "step.check-municipality-page-national":
    "予約が必要な市区町村が多いので、行く前にお住まいの市区町村のウェブサイトで、予約の要否・受付時間・持ち物を確かめてください。",
  "step.national-helpline": (p) =>
    `わからないときは、マイナンバー総合フリーダイヤル ${p.phone}(無料)へ。音声案内の1番がカード・電子証明書、2番が紛失・盗難(カードの一時停止は24時間)。受付は平日 ${p.wdOpen}〜${p.wdClose}、土日祝 ${p.weOpen}〜${p.weClose}(年末年始を除く)。外国語(英語・中国語・韓国語・スペイン語・ポルトガル語)は ${p.foreign}。`,
  "step.info-as-of": (p) => `この情報は ${p.year}年${p.month}月時点のものです。窓口にご確認ください。`,
  "step.info-undated": (p) =>
    `この情報は ${p.year}年${p.month}月に市区町村のページから書き写したものです(ページに更新日の記載はありません)。窓口にご確認ください。`,
  "step.compare-card-expiry": (p) =>
    `カードの表面に印字された有効期限も見てください。カードの期限が証明書の期限(${p.date})と同じ日か、それより前なら、必要なのは証明書の更新ではなく新しいカードの申請です(受け取りまで数週間かかるので早めに)。${p.minorAge}歳未満で作ったカードは必ずこちらです(2022年3月までに申請したカードは20歳未満)。`,
  "step.pin-which-auth":
    "利用者証明用の暗証番号は数字4桁です(マイナポータルへのログインやコンビニでの証明書の交付で使います)。続けて3回間違えるとロックされます。",
  "step.pin-which-sign":
    "署名用の暗証番号は英数字6〜16桁です(e-Tax などの電子署名で使います。英字は大文字)。続けて5回間違えるとロックされます。",
  "step.pin-other-pins":
    "カードにはこのほかに数字4桁の暗証番号が2つ(券面事項入力補助用、住民基本台帳用)あります。この2つはコンビニでは再設定できず、窓口で再設定します。",
  "window.local": (p) => `${p.officeJa} マイナンバーカード窓口`,
  "window.local-note": (p) =>
    `受付時間と予約の要否は${p.nameJa}のウェブサイトで確かめてください。電話で聞くなら、マイナンバー総合フリーダイヤルへ。`,

  // Errors (every protocol error code), shown Japanese first by the CLI, the doctor and the extension.
  "error.pcsc-unavailable": "カードリーダのサービス(PC/SC)が動いていません。",
  "error.no-reader": "カードリーダが見つかりません。",
  "error.reader-not-found": "指定されたカードリーダがつながっていません。",
  "error.no-card": "カードリーダにカードがありません。",
  "error.card-busy": "ほかのソフトがカードを使用中です。",
  "error.card-removed": "読み取りの途中でカードが外されました。",
  "error.card-timeout": "カードが時間内に応答しませんでした。",
  "error.not-mynumber": "マイナンバーカードではありません。",
  "error.juki-card": "住基カードです(電子証明書は使えません)。",
  "error.card-error": "カードが予期しない応答をしました。",
  "error.bad-response": "予期しない応答がありました。",
  "error.certificate-invalid": "電子証明書を読み取れませんでした(形式が正しくありません)。",
  "error.pin-format": "暗証番号の形式が正しくありません(カードには送っていません)。",
  "error.pin-too-few-tries": (p) =>
    `残り${p.tries ?? 1}回のため、誤入力でロックされないよう確認しませんでした(カードには送っていません)。`,
  "error.pin-wrong": (p) => `暗証番号が違います。残り${p.tries ?? "?"}回です。`,
  "error.pin-blocked": "暗証番号がロックされています。",
  "error.virtual-card-unavailable": "内蔵の仮想カードを使えません(開発用の機能です)。",
  "error.bad-input": "入力が正しくありません。",
  "error.internal": "予期しないエラーが起きました。",
  "error.bad-request": "ブリッジへの要求が正しくありませんでした。",
  "error.too-large": "ブリッジへの要求が大きすぎます。",
  "error.version-mismatch": "拡張機能とブリッジの版が合っていません。",
  "error.forbidden-origin": "このブリッジは、この拡張機能のために入れられたものではありません。",
  "error.unknown-command": "ブリッジが知らない要求です。",
  "error.host-timeout": "ブリッジが時間内に応答しませんでした。",
  "error.host-disconnected": "応答の前にブリッジが終了しました。",

  // The help desk's checklist (jpki-guard doctor): item names, values, next steps not covered by step.*.
  "doctor.item.pcsc-service": "カードリーダのサービス(PC/SC)",
  "doctor.item.readers": "カードリーダ",
  "doctor.item.card": "カード",
  "doctor.item.card-kind": "カードの種類",
  "doctor.item.auth-certificate": "利用者証明用電子証明書",
  "doctor.item.signature-certificate": "署名用電子証明書",
  "doctor.item.auth-pin": "利用者証明用暗証番号(数字4桁)",
  "doctor.item.signature-pin": "署名用暗証番号(英数字6〜16桁)",
  "doctor.item.browsers": "ブラウザ",
  "doctor.item.host-manifests": "ブラウザへの登録",
  "doctor.item.official-app": "公式のマイナポータルアプリ(ブラウザへの登録)",
  "doctor.item.installation": "インストール",
  "doctor.item.versions": "バージョン",
  "doctor.presence.present": "あり",
  "doctor.presence.absent": "なし",
  "doctor.presence.unknown": "不明",
  "doctor.kind.mynumber": "マイナンバーカード",
  "doctor.kind.juki": "住基カード",
  "doctor.kind.not-mynumber": "マイナンバーカードではない",
  "doctor.kind.unknown": "不明",
  "doctor.note.sign-needs-pin": "中身の確認には署名用暗証番号が必要",
  "doctor.issuer.jlis": "J-LIS",
  "doctor.issuer.test": "テスト用認証局",
  "doctor.issuer.unknown": "J-LIS 以外",
  "doctor.chain.verified": "検証済み",
  "doctor.chain.anchor-not-bundled": "未検証(認証局の証明書なし)",
  "doctor.chain.failed": "失敗",
  "doctor.chain.untrusted": "信頼できない発行元",
  "doctor.next.no-browser": "Chrome、Chromium、Edge、Brave、Vivaldi、Firefox のいずれかを入れてください。",
  "doctor.next.install": "jpki-guard install を実行してください。",
  "doctor.next.reinstall": "パッケージを入れ直してください: sudo apt install --reinstall jpki-guard",

  "usage-error": "コマンドの指定に誤りがあります(jpki-guard --help で使い方を確認できます)。",

  // The signature PIN's format, as typed (nothing is sent until it is right).
  "pin-format.signature.empty": "暗証番号を入力してください。",
  "pin-format.signature.too-short": "6文字以上です。",
  "pin-format.signature.too-long": "16文字までです。",
  "pin-format.signature.lower-case": "英字は大文字で入力してください(小文字は使えません)。",
  "pin-format.signature.bad-character": "数字と英大文字だけが使えます。",
  "pin-format.signature.not-digits": "数字と英大文字だけが使えます。",

  "summary.login.ready": "マイナポータルへのログインに使えます。",
  "summary.login.attention": "ログインには使えますが、確認が必要なことがあります。",
  "summary.login.blocked": "このままではログインできません。",
  "summary.login.unknown": "カードの状態を確認できませんでした。",
  "summary.sign.ready": "電子署名(e-Tax など)に使えます。",
  "summary.sign.attention": "署名には使えますが、確認が必要なことがあります。",
  "summary.sign.blocked": "このままでは電子署名できません。",
  "summary.sign.unknown": "署名に使えるかは、署名用の暗証番号で確認するまで判断できません。",
  "finding.env-no-official-app":
    "Linux では、マイナンバーカードとカードリーダでマイナポータルにログインする公式の方法はありません。スマートフォンでのログイン(2次元バーコード)か、Windows か Mac のパソコンを使ってください(公式のマイナポータルアプリは Windows と macOS 向けだけです)。",
  "finding.env-reported-unsupported": (p) =>
    `${p.portal} では、${p.env} でのマイナンバーカードの利用はできないという報告があります(第三者の報告で、公式の発表は確かめていません。報告の時期: ${p.date})。`,
  "step.qr-login":
    "カードリーダなしでもログインできます: マイナポータルのログイン画面に出る2次元バーコード(QRコード)をスマートフォンのマイナポータルアプリで読み取り、マイナンバーカードはスマートフォンで読み取らせます(スマートフォン用電子証明書があれば、カードも要りません)。",
  "step.another-computer":
    "または、Windows か Mac のパソコンで、公式のマイナポータルアプリを入れてからログインしてください。",
  "step.check-portal-environment":
    "手続きを始める前に、そのサイトの「推奨環境」や「利用環境」のページで、お使いのOSとブラウザが使えるか確かめてください。",
  "finding.official-extension-not-detected":
    "このページでは、公式のマイナポータル拡張機能が見つかりませんでした。カードでのログインには、公式のマイナポータルアプリとその拡張機能が要ります。",
  "finding.official-app-not-detected":
    "公式のマイナポータル拡張機能はありますが、公式のマイナポータルアプリ(パソコンに入れるプログラム)が見つかりませんでした。",
  "step.enable-official-extension":
    "ブラウザの拡張機能の画面で、マイナポータルの拡張機能がオンになっているか見てください。Chrome は、更新で新しい権限が必要になると拡張機能をオフにします(「再度有効にするには次の新しい権限を許可してください」)。そのときは権限を許可してオンに戻します。",
  "step.restart-browser":
    "入れた直後やオンにした直後は、ブラウザをいったん全部閉じてから開き直し、このページをもう一度開いてください。",
  "step.official-app-windows":
    "公式のマイナポータルアプリ(Windows 用)を、マイナポータルの公式の案内に従って入れてください。",
  "step.official-app-mac": "公式のマイナポータルアプリ(Mac 用)を、マイナポータルの公式の案内に従って入れてください。",
};

const en: Record<string, Entry> = {
  "finding.auth-cert-expired": (p) =>
    `The authentication certificate expired on ${p.date}. It cannot be used to log in to Mynaportal or at convenience-store kiosks.`,
  "finding.auth-cert-not-yet-valid": (p) =>
    `The authentication certificate is not valid yet (from ${p.start}). Check this computer's date.`,
  "finding.auth-cert-renewal-window": (p) =>
    `The authentication certificate expires on ${p.date} (${p.days} days left). Renewal has been open since ${p.opens}.`,
  "finding.auth-cert-missing": "This card holds no authentication certificate, so it cannot log in to Mynaportal.",
  "finding.auth-cert-unreadable": "The authentication certificate could not be read.",
  "finding.sign-cert-expired": (p) =>
    `The signature certificate expired on ${p.date}. It cannot sign (e-Tax and others).`,
  "finding.sign-cert-not-yet-valid": (p) => `The signature certificate is not valid yet (from ${p.start}).`,
  "finding.sign-cert-renewal-window": (p) =>
    `The signature certificate expires on ${p.date} (${p.days} days left). Renewal has been open since ${p.opens}.`,
  "finding.sign-cert-missing": "This card holds no signature certificate, so it cannot sign (e-Tax and others).",
  "finding.sign-cert-not-checked": (p) =>
    `The signature certificate is on the card, but its contents (expiry, revocation) can only be read with the signature PIN, so they have not been checked.${
      p.authExpiry ? ` It usually expires with the authentication certificate, on ${p.authExpiry} (not checked).` : ""
    }`,
  "finding.auth-pin-locked": "The authentication PIN (4 digits) is locked. Login is impossible until it is unlocked.",
  "finding.auth-pin-last-try": "The authentication PIN (4 digits) locks after one more wrong try.",
  "finding.auth-pin-two-left": "The authentication PIN has 2 tries left (one wrong try so far).",
  "finding.sign-pin-locked":
    "The signature PIN (6-16 letters and digits) is locked. Signing is impossible until it is reset.",
  "finding.sign-pin-last-try": "The signature PIN (6-16 letters and digits) locks after one more wrong try.",
  "finding.sign-pin-two-left": "The signature PIN has 2 tries left.",
  "finding.pin-status-unknown": (p) => `The tries left for the ${which(p, false)}'s PIN could not be read.`,
  "finding.cert-chain-failed": (p) =>
    `The ${which(p, false)}'s signature does not verify against the J-LIS CA. The card's data may be damaged.`,
  "finding.cert-untrusted-issuer": (p) =>
    `The ${which(p, false)} was not issued by a J-LIS (JPKI) certification authority.`,
  "finding.cert-anchor-not-bundled": (p) =>
    `The ${which(p, false)} appears to come from a J-LIS CA whose certificate jpki-guard does not carry, so its signature was not verified.`,
  "finding.cert-test-ca": "This is a TEST certificate from the built-in virtual card, not a real card.",
  "finding.not-mynumber": "This is not a My Number card (it has no JPKI application).",
  "finding.juki-card":
    "This is an old Basic Resident Register card (住基カード). Its certificates can no longer be used.",
  "finding.revocation-not-checked": "Whether a certificate is revoked cannot be checked from this computer.",
  "finding.pcsc-unavailable": "The card reader service (PC/SC) has stopped.",
  "finding.no-reader": "No card reader was found.",
  "finding.reader-not-found": (p) => `The reader ${p.reader} was not found.`,
  "finding.no-card": "There is no card in the reader.",
  "finding.card-busy": "Another program is using the card.",
  "finding.card-removed": "The card was removed during the read.",
  "finding.card-timeout": "The card did not answer in time.",
  "finding.card-error": "The card gave an unexpected answer.",
  "finding.bad-response": "The card's answer was malformed.",
  "finding.certificate-invalid": "The certificate data on the card could not be parsed.",
  "finding.internal": "Something went wrong inside jpki-guard.",

  "step.renew": "Renew at your municipality's My Number card counter (bring the card yourself).",
  "step.renew-reservation": "Book a renewal appointment.",
  "step.renew-bring": "Check what to bring.",
  "step.renew-not-accepted": "Some ways of renewing are not accepted.",
  "step.window": "Contact the counter.",
  "step.visit-counter":
    "Go to your municipality's My Number card counter (check its opening hours on the municipality's website).",
  "step.issue-certificate": "The certificate can be issued at your municipality's counter; bring the card.",
  "step.no-sign-cert-why":
    "People under 15 and adult wards do not get one, and it is missing if it was declined when applying for the card.",
  "step.check-sign-cert":
    "To see the signature certificate's expiry, check it with the signature PIN from jpki-guard's own window (it will not try when only 1 try is left).",
  "step.sign-revoked-on-change":
    "Moving house, marrying or any change of address, name, date of birth or gender revokes the signature certificate automatically; the authentication certificate stays valid.",
  "step.unlock-pin-window": "The counter at your municipality unlocks and resets PINs; bring the card.",
  "step.unlock-pin-proxy": "A proxy has to visit twice (the 照会書兼回答書 form procedure).",
  "step.reset-sign-pin-store":
    "If you know your 4-digit PIN (authentication), the signature PIN can also be reset at a convenience-store kiosk (Seven-Eleven and others), after checking your identity (face check) in J-LIS's PIN-reset smartphone app.",
  "step.reset-auth-pin-store":
    "If you know your signature PIN (6-16 letters and digits), the 4-digit PIN can also be reset at a Seven-Eleven kiosk (which chains offer it varies), after checking your identity (face check) in J-LIS's PIN-reset smartphone app.",
  "step.smartphone-login":
    "If you already have a smartphone certificate (Android, or iPhone since June 2025), you can log in to Mynaportal with the phone instead of the card. Whether it also works for e-Tax signing is not judged here.",
  "step.renew-early-keeps-term":
    "Renewing early, inside the window, costs you nothing: the new certificate runs to the 5th birthday after the day you renew.",
  "step.etax-next-day":
    "On e-Tax, a renewed certificate can be used only from the day after renewal: renew early if a filing deadline is near.",
  "step.do-not-guess": "If you are not sure of the PIN, do not try it: reset it first.",
  "step.start-pcscd":
    "Unplug the card reader and plug it in again: on Windows this starts the Smart Card service. On Linux, start it with sudo systemctl start pcscd. The display updates by itself once the service is back.",
  "step.connect-reader": "Connect the card reader and install its driver if needed.",
  "step.insert-card": "Put your My Number card on (or into) the reader.",
  "step.close-other-program": "Close other programs that use the card (such as the JPKI client), then check again.",
  "step.reinsert-card": "Take the card out, put it back, and keep it still until the check finishes.",
  "step.use-mynumber-card": "Use your My Number card (the one with your photo).",
  "step.apply-mynumber-card": "Apply for a My Number card (the 住基カード's certificates no longer work).",
  "step.check-clock":
    "Check this computer's date and time; if they are right, have the counter look at the certificate.",
  "step.card-damaged":
    "If another reader gives the same result, the card may be damaged: ask your municipality's counter.",
  "step.report-problem": "Run jpki-guard doctor --report and send the report to the help desk.",

  "step.renew-local": (p) =>
    `Renew at the My Number card counter of ${p.officeEn}. Go yourself with the card; you will type your PINs there (if you have forgotten one, ask to reset it during the same visit).`,
  "step.visit-office": (p) =>
    `Go to the My Number card counter of ${p.officeEn}. Check its opening hours and whether you must book on the website of ${p.nameEn}.`,
  "step.unlock-pin-local": (p) =>
    `The My Number card counter of ${p.officeEn} unlocks and resets PINs. Go yourself with the card.`,
  "step.check-municipality-page": (p) =>
    `Many municipalities take these by appointment only: before you go, check on the website of ${p.nameEn} whether you must book, the opening hours and what to bring.`,
  "step.check-municipality-page-national":
    "Many municipalities take these by appointment only: before you go, check on your municipality's website whether you must book, the opening hours and what to bring.",
  "step.national-helpline": (p) =>
    `Questions: the national My Number helpline (マイナンバー総合フリーダイヤル) ${p.phone}, free. In its menu, 1 is the card and certificates, 2 loss or theft (suspending a card: 24 hours). Weekdays ${p.wdOpen}-${p.wdClose}, weekends and holidays ${p.weOpen}-${p.weClose}, closed over the New Year. In English, Chinese, Korean, Spanish or Portuguese: ${p.foreign}.`,
  "step.info-as-of": (p) =>
    `This information is as of ${p.year}-${String(p.month).padStart(2, "0")}: please confirm with the counter.`,
  "step.info-undated": (p) =>
    `This information was taken from the municipality's page in ${p.year}-${String(p.month).padStart(2, "0")} (the page shows no update date): please confirm with the counter.`,
  "step.compare-card-expiry": (p) =>
    `Also look at the expiry date printed on the front of the card. If the card expires on the same day as the certificate (${p.date}) or earlier, you need a new card, not a certificate renewal (apply early: it takes weeks). A card issued before the age of ${p.minorAge} always does (20 for applications made before April 2022).`,
  "step.pin-which-auth":
    "The authentication PIN has 4 digits (Mynaportal login, certificates from convenience-store machines). Three wrong tries in a row lock it.",
  "step.pin-which-sign":
    "The signature PIN has 6-16 letters and digits (signing on e-Tax and elsewhere; letters in upper case). Five wrong tries in a row lock it.",
  "step.pin-other-pins":
    "The card has two more 4-digit PINs (for 券面事項入力補助 and for 住民基本台帳). Those two cannot be reset at a store, only at the counter.",
  "window.local": (p) => `My Number card counter, ${p.officeEn}`,
  "window.local-note": (p) =>
    `Check its opening hours and whether you must book on the website of ${p.nameEn}. For questions by phone, call the national My Number helpline.`,

  "error.pcsc-unavailable": "The card reader service (PC/SC) is not running.",
  "error.no-reader": "No card reader found.",
  "error.reader-not-found": "The reader asked for is not connected.",
  "error.no-card": "There is no card in the reader.",
  "error.card-busy": "Another program is using the card.",
  "error.card-removed": "The card was taken out during the check.",
  "error.card-timeout": "The card did not answer in time.",
  "error.not-mynumber": "This is not a My Number card.",
  "error.juki-card": "This is a 住基カード (its certificates no longer work).",
  "error.card-error": "The card answered unexpectedly.",
  "error.bad-response": "An unexpected answer came back.",
  "error.certificate-invalid": "The certificate could not be read (malformed).",
  "error.pin-format": "The PIN's format is wrong (nothing was sent to the card).",
  "error.pin-too-few-tries": (p) =>
    `Only ${p.tries ?? 1} try left: not checked, so that a typo cannot lock it (nothing was sent to the card).`,
  "error.pin-wrong": (p) => `Wrong PIN. ${p.tries ?? "?"} tries left.`,
  "error.pin-blocked": "The PIN is locked.",
  "error.virtual-card-unavailable": "The built-in virtual card is not available (a development tool).",
  "error.bad-input": "The input is not valid.",
  "error.internal": "An unexpected error occurred.",
  "error.bad-request": "The request to the bridge was not valid.",
  "error.too-large": "The request to the bridge was too large.",
  "error.version-mismatch": "The extension and the bridge are different versions.",
  "error.forbidden-origin": "This bridge was not installed for this extension.",
  "error.unknown-command": "The bridge does not know this request.",
  "error.host-timeout": "The bridge did not answer in time.",
  "error.host-disconnected": "The bridge went away before it answered.",

  "doctor.item.pcsc-service": "PC/SC service",
  "doctor.item.readers": "readers",
  "doctor.item.card": "card",
  "doctor.item.card-kind": "card kind",
  "doctor.item.auth-certificate": "authentication certificate",
  "doctor.item.signature-certificate": "signature certificate",
  "doctor.item.auth-pin": "authentication PIN",
  "doctor.item.signature-pin": "signature PIN",
  "doctor.item.browsers": "browsers",
  "doctor.item.host-manifests": "host manifests",
  "doctor.item.official-app": "official Mynaportal app (browser registration)",
  "doctor.item.installation": "installation",
  "doctor.item.versions": "versions",
  "doctor.presence.present": "present",
  "doctor.presence.absent": "absent",
  "doctor.presence.unknown": "unknown",
  "doctor.kind.mynumber": "My Number card",
  "doctor.kind.juki": "Juki-Net card",
  "doctor.kind.not-mynumber": "not a My Number card",
  "doctor.kind.unknown": "unknown",
  "doctor.note.sign-needs-pin": "contents need the signature PIN",
  "doctor.issuer.jlis": "J-LIS",
  "doctor.issuer.test": "test CA",
  "doctor.issuer.unknown": "not J-LIS",
  "doctor.chain.verified": "verified",
  "doctor.chain.anchor-not-bundled": "not verified (CA certificate not carried)",
  "doctor.chain.failed": "failed",
  "doctor.chain.untrusted": "untrusted issuer",
  "doctor.next.no-browser": "Install Chrome, Chromium, Edge, Brave, Vivaldi or Firefox.",
  "doctor.next.install": "Run: jpki-guard install.",
  "doctor.next.reinstall": "Reinstall the package: sudo apt install --reinstall jpki-guard",

  "usage-error": "The command line is not right (jpki-guard --help shows how to use it).",

  "pin-format.signature.empty": "Enter the PIN.",
  "pin-format.signature.too-short": "At least 6 characters.",
  "pin-format.signature.too-long": "At most 16 characters.",
  "pin-format.signature.lower-case": "Type letters in upper case (lower case is not allowed).",
  "pin-format.signature.bad-character": "Only digits and upper-case letters.",
  "pin-format.signature.not-digits": "Only digits and upper-case letters.",

  "summary.login.ready": "Ready to log in to Mynaportal.",
  "summary.login.attention": "Login will work, but something needs your attention.",
  "summary.login.blocked": "Login will not work as things are.",
  "summary.login.unknown": "The card's state could not be checked.",
  "summary.sign.ready": "Ready to sign (e-Tax and others).",
  "summary.sign.attention": "Signing will work, but something needs your attention.",
  "summary.sign.blocked": "Signing will not work as things are.",
  "summary.sign.unknown":
    "Whether signing works cannot be told until the signature certificate is checked with its PIN.",
  "finding.env-no-official-app":
    "On Linux there is no official way to log in to Mynaportal with the card and a reader. Use the smartphone login (2D barcode) or a Windows PC or Mac instead (the official Mynaportal app exists for Windows and macOS only).",
  "finding.env-reported-unsupported": (p) =>
    `${p.portal} is reported not to accept the card on ${p.env} (a third-party report, not confirmed with an official announcement; reported ${p.date}).`,
  "step.qr-login":
    "You can log in without a reader: scan the 2D barcode (QR code) on Mynaportal's login page with the Mynaportal app on a smartphone and let the phone read the card (with a smartphone certificate, no card is needed).",
  "step.another-computer": "Or log in from a Windows PC or a Mac, with the official Mynaportal app installed.",
  "step.check-portal-environment":
    "Before you start, check the site's page on supported environments for your OS and browser.",
  "finding.official-extension-not-detected":
    "The official Mynaportal extension was not found on this page. Logging in with the card needs the official Mynaportal app and its extension.",
  "finding.official-app-not-detected":
    "The official Mynaportal extension is there, but the official Mynaportal app (the program installed on the computer) was not found.",
  "step.enable-official-extension":
    "Check on the browser's extensions page that the Mynaportal extension is on. Chrome switches an extension off when an update needs new permissions; accept the permissions to switch it back on.",
  "step.restart-browser":
    "Right after installing it or switching it on, close every browser window, open the browser again and reload this page.",
  "step.official-app-windows":
    "Install the official Mynaportal app for Windows as Mynaportal's official instructions say.",
  "step.official-app-mac": "Install the official Mynaportal app for Mac as Mynaportal's official instructions say.",
};

export const CATALOGS = { ja, en } as const;
export type Lang = keyof typeof CATALOGS;

/** One catalog entry in both languages (findings, steps, doctor lines...). */
export function bilingual(key: string, params: Params = {}): { ja: string; en: string } {
  return { ja: message("ja", key, params), en: message("en", key, params) };
}

/** An error code's sentence, Japanese or English (unknown codes: the internal-error one). */
export function errorText(lang: Lang, code: string, params: Params = {}): string {
  const key = CATALOGS[lang][`error.${code}`] === undefined ? "error.internal" : `error.${code}`;
  return message(lang, key, params);
}

export function message(lang: Lang, key: string, params: Params = {}): string {
  const e = CATALOGS[lang][key];
  if (e === undefined) throw new Error(`no ${lang} message for ${key}`);
  return typeof e === "function" ? e(params) : e;
}
