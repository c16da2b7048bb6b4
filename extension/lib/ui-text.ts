/** The extension's own UI strings (findings and steps come from @jpki-guard/shared). */
import type { Lang } from "@jpki-guard/shared";

export type { Lang };

const T = {
  ja: {
    title: "jpki-guard マイナンバーカード確認",
    authCert: "利用者証明用電子証明書",
    signCert: "署名用電子証明書",
    authPin: "利用者証明用暗証番号(数字4桁)",
    signPin: "署名用暗証番号(英数字6〜16桁)",
    validTo: "有効期限",
    timelines: "電子証明書の期間",
    tlIssued: "発行",
    tlWindow: "更新開始",
    tlToday: "今日",
    tlExpiry: "期限",
    tlState: {
      valid: "有効",
      "renewal-window": "更新できる期間",
      expired: "期限切れ",
      "not-yet-valid": "まだ有効でない",
    },
    tlSentence: (issued: string, opens: string, today: string, expiry: string, state: string) =>
      `発行 ${issued}、更新できる期間の開始 ${opens}、今日 ${today}、有効期限 ${expiry}。いまは「${state}」です。`,
    daysLeft: (n: number) => (n >= 0 ? `あと${n}日` : `${-n}日前に期限切れ`),
    present: "あり(中身は未確認)",
    absent: "なし",
    unknown: "不明",
    triesLeft: (n: number, max: number) => `残り ${n} 回 / ${max} 回`,
    locked: "ロック中",
    login: "ログイン",
    sign: "電子署名",
    level: { ready: "使えます", attention: "要確認", blocked: "使えません", unknown: "判定できません" },
    checkAgain: "もう一度確認",
    checklistTitle: (action: "login" | "sign") =>
      action === "sign" ? "署名の前に確かめること(直す順)" : "ログインの前に確かめること(直す順)",
    checklistNothing: "いま直すことは見つかっていません。",
    checklistOther: (action: "login" | "sign") =>
      action === "sign" ? "ログイン(マイナポータルなど)について" : "電子署名(e-Tax など)について",
    counter: "窓口",
    report: "ヘルプデスク用レポート",
    lookup: "エラーコードを調べる",
    lookupLabel: "エラーコードまたはメッセージ(例: EI123-2008)",
    lookupButton: "調べる",
    lookupUnknown: (c: string) => `エラーコード ${c} の意味は、jpki-guard の資料にはありません。`,
    lookupExplains: "このカードで説明がつきます:",
    lookupNotThisCard: "このカードには、このエラーの原因になることが見つかりません。",
    lookupCannotTell: "カードを読み取れていないため、このカードが原因かは判断できません。",
    lookupWhere: "出た場所",
    lookupWhereAny: "出た場所(わかれば)",
    lookupNoCode: "(コードなしのメッセージ)",
    lookupElsewhere: (w: string[]) => `このコードは ${w.join("、")} のものとしてだけ記録があります。`,
    lookupAskWhere: (w: string) =>
      `このコードはほかのシステムでも使われ、意味が違うことがあります。上は ${w} での意味です。`,
    lookupNotCard: "このエラーはカードではなく、パソコン・スマートフォン・通信などの問題とされています。",
    lookupEnvironment: "パソコン・スマートフォンで確かめること:",
    copy: "コピー",
    copied: "コピーしました",
    reportNote: "暗証番号・証明書の番号・氏名などの個人情報は含みません。",
    reportSave: "レポートをファイルに保存",
    reportSaved: (name: string) => `${name} を保存しました。ヘルプデスクに送ってください。`,
    reportCannotSave: "この内容ではレポートを作れませんでした。上の文章をコピーして送ってください。",
    readoutTitle: "読み上げコード(電話で伝えるとき)",
    readoutNote: "数字の0と1、英字のIとOは使っていません。4文字ずつ区切って読み上げてください。",
    qrLabel: (code: string) => `読み上げコード ${code} の QR コード`,
    qrNote: "QR コードには読み上げコードだけが入っています(氏名・証明書の番号・日付は入っていません)。",
    signCheck: "署名用電子証明書を暗証番号で確認",
    signCheckNote: "暗証番号はこの画面からカードにだけ送られ、保存されません。",
    pinLabel: "署名用暗証番号",
    submit: "確認する",
    refuseLow: "残り1回のため、ここでは確認しません。間違えるとロックされます。先に暗証番号を再設定してください。",
    refuseLocked: "ロックされているため確認できません。",
    noBridge: "カードを読むためのソフト(jpki-guard ブリッジ)が見つかりません。",
    downloadFrom: "ダウンロードはこちら:",
    details: "詳細",
    installSteps: (os: string) =>
      os === "win"
        ? "インストール: jpki-guard のダウンロードページから jpki-guard-(版)-windows-x64.msi を入手してダブルクリックし、案内に従ってください(管理者の権限は要りません)。終わったらブラウザを再起動します。"
        : os === "mac"
          ? "インストール: jpki-guard-(版)-macos.tar.gz を入手して展開し、ターミナルで sh jpki-guard/install.sh を実行してください。終わったらブラウザを再起動します(Mac での動作は未確認です)。"
          : "インストール: jpki-guard_(版)_amd64.deb を入手して、端末で sudo apt install ./jpki-guard_(版)_amd64.deb を実行してください。終わったらブラウザを再起動します。",
    versionMismatch: (side: string) =>
      side === "host"
        ? "カードを読むためのソフト(jpki-guard ブリッジ)が拡張機能より古いため、つながりません。ブリッジを更新してください。"
        : "jpki-guard 拡張機能がブリッジより古いため、つながりません。拡張機能を更新してください。",
    updateHost: (os: string) =>
      os === "win"
        ? "更新のしかた(Windows): jpki-guard のダウンロードページから新しい jpki-guard-(版)-windows-x64.msi を入手してダブルクリックし、案内に従ってください(前の版は置き換えられます)。終わったらブラウザを再起動します。"
        : os === "mac"
          ? "更新のしかた(Mac): 新しい jpki-guard-(版)-macos.tar.gz を入手して展開し、ターミナルで sh jpki-guard/install.sh を実行してください。終わったらブラウザを再起動します。"
          : "更新のしかた(Debian / Ubuntu): 新しい jpki-guard_(版)_amd64.deb を入手して、端末で sudo apt install ./jpki-guard_(版)_amd64.deb を実行してください。終わったらブラウザを再起動します。",
    updateExtension: (firefox: boolean) =>
      firefox
        ? "更新のしかた(Firefox): アドレスバーに about:addons と入力して開き、歯車のボタンから「今すぐ更新を確認」を選んでください。"
        : "更新のしかた(Chrome・Edge): アドレスバーに chrome://extensions(Edge は edge://extensions)と入力して開き、「デベロッパー モード」をオンにして「更新」を押してください。",
    protocolVersions: (host: number, ext: number) => `通信の版: ブリッジ ${host}、拡張機能 ${ext}`,
    connecting: "ブリッジに接続しています…",
    asOf: (when: string) => `${when} 時点`,
    notLive: "ブリッジは動いていません。ポータルのページかこの画面を開くと、カードをもう一度確かめます。",
    dayPassed: "前回の確認から日付が変わりました。この画面を開くと確かめ直します。",
    noCard: "カードが読み取れません",
    bannerTitle: "jpki-guard: マイナンバーカードの確認結果",
    bannerPageSummary: (n: number, sign: boolean) =>
      `${sign ? "署名" : "ログイン"}の前に確かめることが ${n} つあります${n > 1 ? "(上から順に)" : ""}。`,
    bannerMore: "詳しく",
    bannerLess: "閉じる",
    close: "閉じる",
    openPopup: "詳しくはツールバーの jpki-guard アイコンから",
    options: "設定",
    municipality: "お住まいの市区町村",
    national: "選ばない(全国共通の案内)",
    muniAsk: "お住まいの市区町村を選んでください",
    muniWhy:
      "更新や暗証番号の再設定の窓口を、あなたの市区町村に合わせて案内するためです。選んだ市区町村はこのパソコンの中だけに保存されます。選ばなくても、全国共通の案内が出ます。",
    muniSearchLabel: "市区町村を探す(漢字・ひらがな・コード)",
    muniSearchHint: "例: 平塚市、ひらつかし、142034、大阪市北区。↑↓で選び、Enterで決定します。",
    muniMatches: (n: number) => (n === 0 ? "見つかりません" : `${n} 件見つかりました`),
    muniKeep: (label: string) => `${label} のままにする`,
    muniNone: "選ばない(全国共通の案内)",
    muniCurrent: "いまの設定",
    muniNational: "選んでいません(全国共通の案内)",
    muniManaged: "管理者が設定しています",
    muniChange: "変更",
    pinUnknown: "暗証番号がわからないとき",
    pinUnknownAuth: "利用者証明用(数字4桁)",
    pinUnknownSign: "署名用(英数字6〜16桁)",
    wrongPinStop:
      "暗証番号が違いました。続けて試す前に、暗証番号を確かめてください。わからないときは、下の方法で再設定できます(再設定すればロックの心配はありません)。",
    tryAgainAnyway: "暗証番号を確かめたので、もう一度試す",
    language: "表示言語",
    reminders: "有効期限のお知らせ(更新期間の開始・30日前・7日前)",
    portals: "確認するサイトを追加",
    addPortal: "追加",
    removePortal: "削除",
    saved: "保存しました",
    portalHint: "例: https://portal.example.jp/*",
    notifyTitle: "電子証明書の有効期限",
    notifyWindow: "更新の手続きができる期間に入りました(有効期限まで3か月を切りました)。",
    notifyDays: (n: number) => `有効期限まで${n}日を切りました。早めに更新してください。`,
    revocationNote: "失効しているかどうかは確認できません。",
  },
  en: {
    title: "jpki-guard My Number card check",
    authCert: "Authentication certificate",
    signCert: "Signature certificate",
    authPin: "Authentication PIN (4 digits)",
    signPin: "Signature PIN (6-16 letters and digits)",
    validTo: "Valid to",
    timelines: "Certificate periods",
    tlIssued: "issued",
    tlWindow: "renewal opens",
    tlToday: "today",
    tlExpiry: "expires",
    tlState: {
      valid: "valid",
      "renewal-window": "in the renewal window",
      expired: "expired",
      "not-yet-valid": "not valid yet",
    },
    tlSentence: (issued: string, opens: string, today: string, expiry: string, state: string) =>
      `Issued ${issued}, renewal window opens ${opens}, today ${today}, expires ${expiry}. Now: ${state}.`,
    daysLeft: (n: number) => (n >= 0 ? `${n} days left` : `expired ${-n} days ago`),
    present: "present (contents not checked)",
    absent: "none",
    unknown: "unknown",
    triesLeft: (n: number, max: number) => `${n} of ${max} tries left`,
    locked: "locked",
    login: "Login",
    sign: "Signing",
    level: { ready: "ready", attention: "attention", blocked: "will not work", unknown: "cannot tell" },
    checkAgain: "Check again",
    checklistTitle: (action: "login" | "sign") =>
      action === "sign" ? "Before you sign: what to fix, in order" : "Before you log in: what to fix, in order",
    checklistNothing: "Nothing to fix has been found.",
    checklistOther: (action: "login" | "sign") =>
      action === "sign" ? "For logging in (Mynaportal and others)" : "For signing (e-Tax and others)",
    counter: "Counter",
    report: "Help-desk report",
    lookup: "Look up an error code",
    lookupLabel: "Error code or message (e.g. EI123-2008)",
    lookupButton: "Look up",
    lookupUnknown: (c: string) => `jpki-guard has no record of error code ${c}.`,
    lookupExplains: "This card explains it:",
    lookupNotThisCard: "Nothing on this card accounts for this error.",
    lookupCannotTell: "The card could not be read, so whether it is the cause cannot be told.",
    lookupWhere: "Where it was seen",
    lookupWhereAny: "Where it was seen (if known)",
    lookupNoCode: "(a message without a code)",
    lookupElsewhere: (w: string[]) => `This code is on record only for ${w.join(", ")}.`,
    lookupAskWhere: (w: string) => `Other systems use this code with other meanings: the above is for ${w}.`,
    lookupNotCard: "This error is about the computer, the phone or the network, not the card.",
    lookupEnvironment: "Check on the computer or phone:",
    copy: "Copy",
    copied: "Copied",
    reportNote: "Contains no PIN, certificate number, name or other personal data.",
    reportSave: "Save the report as a file",
    reportSaved: (name: string) => `Saved ${name}. Send it to the help desk.`,
    reportCannotSave: "A report could not be made from this. Copy the text above and send it instead.",
    readoutTitle: "Read-out code (to tell on the phone)",
    readoutNote: "No 0, 1, I or O are used. Read it out four characters at a time.",
    qrLabel: (code: string) => `QR code of the read-out code ${code}`,
    qrNote: "The QR code holds the read-out code only (no name, certificate number or date).",
    signCheck: "Check the signature certificate with its PIN",
    signCheckNote: "The PIN goes from this window to the card only and is not stored.",
    pinLabel: "Signature PIN",
    submit: "Check",
    refuseLow: "Only 1 try left: jpki-guard will not try, a wrong PIN would lock it. Reset the PIN first.",
    refuseLocked: "The PIN is locked; it cannot be checked.",
    noBridge: "The card bridge (jpki-guard host) was not found.",
    downloadFrom: "Download it from:",
    details: "Details",
    installSteps: (os: string) =>
      os === "win"
        ? "To install: download jpki-guard-(version)-windows-x64.msi from the jpki-guard download page, double-click it and follow the steps (no administrator rights needed), then restart the browser."
        : os === "mac"
          ? "To install: download jpki-guard-(version)-macos.tar.gz, unpack it and run sh jpki-guard/install.sh in Terminal, then restart the browser (not yet tested on a Mac)."
          : "To install: download jpki-guard_(version)_amd64.deb and run sudo apt install ./jpki-guard_(version)_amd64.deb in a terminal, then restart the browser.",
    versionMismatch: (side: string) =>
      side === "host"
        ? "The card bridge (jpki-guard host) is older than the extension, so they cannot talk: update the bridge."
        : "The jpki-guard extension is older than the card bridge, so they cannot talk: update the extension.",
    updateHost: (os: string) =>
      os === "win"
        ? "To update (Windows): download the new jpki-guard-(version)-windows-x64.msi from the jpki-guard download page, double-click it and follow the steps (it replaces the old one), then restart the browser."
        : os === "mac"
          ? "To update (Mac): download the new jpki-guard-(version)-macos.tar.gz, unpack it and run sh jpki-guard/install.sh in Terminal, then restart the browser."
          : "To update (Debian / Ubuntu): download the new jpki-guard_(version)_amd64.deb and run sudo apt install ./jpki-guard_(version)_amd64.deb in a terminal, then restart the browser.",
    updateExtension: (firefox: boolean) =>
      firefox
        ? 'To update (Firefox): open about:addons from the address bar, then choose "Check for Updates" in the gear menu.'
        : 'To update (Chrome, Edge): open chrome://extensions (Edge: edge://extensions) from the address bar, turn on "Developer mode" and press "Update".',
    protocolVersions: (host: number, ext: number) => `Protocol versions: bridge ${host}, extension ${ext}`,
    connecting: "Connecting to the bridge…",
    asOf: (when: string) => `as of ${when}`,
    notLive: "The bridge is not running. Opening a portal page or this window checks the card again.",
    dayPassed: "The date has changed since the last check. Opening this window checks again.",
    noCard: "No card could be read",
    bannerTitle: "jpki-guard: My Number card check",
    bannerPageSummary: (n: number, sign: boolean) =>
      n === 1
        ? `One thing to check before you ${sign ? "sign" : "log in"}.`
        : `${n} things to check before you ${sign ? "sign" : "log in"} (in this order).`,
    bannerMore: "Details",
    bannerLess: "Less",
    close: "Close",
    openPopup: "Details: the jpki-guard toolbar icon",
    options: "Settings",
    municipality: "Your municipality",
    national: "Don't choose (national guidance)",
    muniAsk: "Choose your municipality",
    muniWhy:
      "So that the next steps (renewal, PIN resets) name your own municipality's counter. It is stored on this computer only. Without it you get national guidance.",
    muniSearchLabel: "Find your municipality (kanji, kana or code)",
    muniSearchHint: "e.g. 平塚市, ひらつかし, 142034, 大阪市北区. Arrow keys to move, Enter to choose.",
    muniMatches: (n: number) => (n === 0 ? "No match" : `${n} found`),
    muniKeep: (label: string) => `Keep ${label}`,
    muniNone: "Don't choose (national guidance)",
    muniCurrent: "Current",
    muniNational: "Not chosen (national guidance)",
    muniManaged: "set by your administrator",
    muniChange: "Change",
    pinUnknown: "If you do not know a PIN",
    pinUnknownAuth: "Authentication PIN (4 digits)",
    pinUnknownSign: "Signature PIN (6-16 letters and digits)",
    wrongPinStop:
      "That PIN was wrong. Before trying again, make sure of the PIN. If you do not know it, reset it as below (after a reset there is no risk of locking).",
    tryAgainAnyway: "I have checked the PIN: let me try again",
    language: "Language",
    reminders: "Expiry reminders (renewal window, 30 days, 7 days)",
    portals: "Add a site to check",
    addPortal: "Add",
    removePortal: "Remove",
    saved: "Saved",
    portalHint: "e.g. https://portal.example.jp/*",
    notifyTitle: "Certificate expiry",
    notifyWindow: "Renewal is now open: it expires within three months.",
    notifyDays: (n: number) => `Fewer than ${n} days until it expires: renew soon.`,
    revocationNote: "Revocation cannot be checked.",
  },
};

export function text(lang: Lang) {
  return T[lang];
}
