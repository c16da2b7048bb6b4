/**
 * The one usage table of the CLI: every command, its arguments, its options
 * and examples, Japanese first. `jpki-guard --help`, `jpki-guard COMMAND
 * --help`, the manual page jpki-guard(1) (docs/jpki-guard.1) and the
 * README's command list are all rendered from it (`usage-render.ts`,
 * `scripts/gen-usage.mts`), so a new command appears everywhere at once; a
 * unit test fails when the generated files are stale or when main() accepts
 * a command the table does not list.
 *
 * Pure data, no imports: `--help` loads nothing else.
 */

export interface UsageOption {
  /** As typed, with its argument: "--on DATE". */
  flag: string;
  ja: string;
  en: string;
  /** Only in a checkout's development build (the virtual card). */
  dev?: true;
}

export interface UsageCommand {
  /** The command as typed: "guidance validate". */
  name: string;
  /** Positional arguments after the name: "CODE", "[QUERY]". */
  args?: string;
  ja: string;
  en: string;
  options: UsageOption[];
  /** Example command lines (without the leading "jpki-guard") and what each does, in English. */
  examples?: Array<[string, string]>;
  dev?: true;
}

const READER: UsageOption = {
  flag: "--reader NAME",
  ja: "使うカードリーダ(名前は jpki-guard doctor が表示します)。省略するとカードの入った最初のリーダ",
  en: "the reader to use (names as listed by jpki-guard doctor); default: the first reader with a card",
};
const VIRTUAL: UsageOption = {
  flag: "--virtual PROFILE",
  ja: "内蔵の仮想カード(テスト用)を専用の pcscd で使う。プロファイル名か JSON ファイル。root 権限が必要",
  en: "use the built-in virtual card (test data) through a private pcscd: a profile name or a JSON profile file; needs root",
  dev: true,
};
const JSON_OUT: UsageOption = {
  flag: "--json",
  ja: "機械が読める JSON で出力する",
  en: "machine-readable JSON output",
};
const TRACE: UsageOption = {
  flag: "--trace",
  ja: "カードとのやりとり(APDU)を標準エラーに出す。コマンドと応答の状態語とデータ長だけで、暗証番号も証明書の中身も出さない",
  en: "print the APDU trace to stderr: commands and status words with data lengths only (no PIN, no PIN length, no certificate bytes)",
};
const MUNICIPALITY: UsageOption = {
  flag: "--municipality M",
  ja: "次の手順を案内する市区町村: 地方公共団体コード(142034)、名前(平塚市)、かな(ひらつかし)、都道府県+名前(東京都府中市)、市+区(大阪市北区)。省略すると特定の市を挙げない全国共通の案内。同じ名前が2つ以上あるときは候補を示して止まる",
  en: "whose next steps: a local government code (142034), a name (平塚市), kana (ひらつかし), prefecture + name (東京都府中市) or city + ward (大阪市北区); without it, national guidance naming no city. A name held twice is refused with the list",
};
const LANG: UsageOption = {
  flag: "--lang ja|en",
  ja: "表示する言語(省略すると日本語と英語の両方)",
  en: "the language of the output (default: Japanese and English)",
};
const BROWSER: UsageOption = {
  flag: "--browser chrome|chromium|edge|brave|vivaldi|firefox|all",
  ja: "対象のブラウザ(繰り返し指定できる。省略するとすべて)",
  en: "the browsers (may be repeated; default: all)",
};
const SYSTEM: UsageOption = {
  flag: "--system",
  ja: "このユーザーだけでなく全ユーザー向け(root 権限が必要)",
  en: "for all users, not only this one (needs root)",
};
const USER_DATA_DIR: UsageOption = {
  flag: "--chromium-user-data-dir DIR",
  ja: "Chromium 系ブラウザのユーザーデータのフォルダを指定する(既定以外の場所を使っているとき)",
  en: "a Chromium-family browser's user data folder, when it is not the default one",
};

export const COMMANDS: readonly UsageCommand[] = [
  {
    name: "check",
    ja: "カードを読み(暗証番号なし、試行回数を減らさない)、事実と判定を表示する。",
    en: "Read the card (no PIN, no PIN try spent) and print facts and verdict.",
    options: [
      JSON_OUT,
      READER,
      VIRTUAL,
      {
        flag: "--on DATE",
        ja: "別の日について判定する(「3月15日にもまだ使える?」)。YYYY-MM-DD(日本時間のその日の始まり)か、時差つきの ISO 8601 の時刻",
        en: 'judge for another day ("will it still work on 15 March?"): YYYY-MM-DD (Japan time, start of day) or an ISO 8601 instant with a zone',
      },
      {
        flag: "--action login|sign",
        ja: "判定する用途: login(マイナポータルへのログイン、既定)か sign(e-Tax などの電子署名)",
        en: "what to judge for: login (Mynaportal login, the default) or sign (e-Tax signing)",
      },
      MUNICIPALITY,
      TRACE,
      LANG,
    ],
    examples: [
      ["check", "facts and verdict for Mynaportal login (exit 0 ready, 1 attention, 2 blocked, 3 cannot tell)"],
      ["check --action sign", "for e-Tax signing"],
      ["check --on 2027-03-15", '"will it still work on 15 March?"'],
      ["check --json", "the contract for help-desk scripts"],
      ["check --municipality 大阪市北区", "next steps for your municipality (code, name, kana, 東京都府中市, ...)"],
    ],
  },
  {
    name: "read-signature",
    ja: "署名用電子証明書を、署名用の暗証番号(プロンプトで入力、または標準入力の1行)で確かめる。形式を先に確かめ、残り1回なら何も送らない。氏名・住所・生年月日・性別は --show-personal-data のときだけ表示する。",
    en: "Check the signature certificate with the signature PIN, typed at the prompt (or one line on stdin). The format is checked first; with 1 try left nothing is sent. Name, address, birth date and gender are shown only with --show-personal-data.",
    options: [
      READER,
      VIRTUAL,
      {
        flag: "--show-personal-data",
        ja: "証明書の氏名・住所・生年月日・性別を表示する",
        en: "print the certificate's name, address, birth date and gender",
      },
      JSON_OUT,
      TRACE,
    ],
    examples: [["read-signature", "check the signature certificate with its PIN (typed at a prompt)"]],
  },
  {
    name: "doctor",
    ja: "ヘルプデスク向けのチェックリスト: PC/SC サービス、リーダ、カード、カードの種類、証明書、暗証番号の残り回数、ブラウザのホスト設定、公式のマイナポータルアプリ(jp.go.cao.mpa、古い名前 jp.go.myna)がどのブラウザに登録されているか(読むだけ。Linux には公式アプリがないため情報として示す)、版。各項目は判定の所見どおりに ok・warn・FAIL を示し、次の手順をつける。終了コードは check と同じ。電話で読み上げられる要約コード(JG-…)も表示する。",
    en: "The help desk's checklist: PC/SC service, readers, card, card kind, certificates, PIN tries, browser host manifests, which browsers the official Mynaportal app's host (jp.go.cao.mpa, older jp.go.myna) is registered with (read only; on Linux, which has no official app, information), versions; each item is ok, warn or FAIL as the verdict's findings say, with the next step; exit code as for check. It also prints the summary code (JG-...) a citizen can read out on the phone.",
    options: [
      {
        flag: "--report FILE",
        ja: "個人情報を除いた報告書を FILE に書く(暗証番号、シリアル番号、氏名、個人情報は入らない)",
        en: "write a redacted report to FILE (no PIN, serial, CN or personal data)",
      },
      {
        flag: "--read FILE|CODE",
        ja: "市民の報告書ファイル(doctor --report)か読み上げられたコード(JG-…)を読み、同じチェックリスト、報告時点と今日(または --on)の判定、報告書の市区町村(または --municipality)の次の手順を示す。ファイルの中身は実行も書き込みもしない。1 MiB を超える、JSON でない、形式が違う・新しい、制御文字やマークアップを含むファイルは拒否する(終了コード 65)",
        en: "read a citizen's report file (doctor --report) or the code read out on the phone (JG-...): the same checklist, the verdicts as of the report's day and as of today (or --on), the next steps for the report's municipality (or --municipality). Nothing in the file is run or written; a file over 1 MiB, not JSON, of another or newer schema, or with control characters or markup is refused (exit 65)",
      },
      {
        flag: "--on DATE",
        ja: "--read のとき「今日」の代わりに判定する日",
        en: "with --read: the day to judge for instead of today",
      },
      READER,
      VIRTUAL,
      TRACE,
      JSON_OUT,
      MUNICIPALITY,
    ],
    examples: [
      ["doctor --report report.json", "help-desk checklist and a redacted report"],
      ["doctor --read report.json", "a citizen's report, judged as of its day and as of today"],
    ],
  },
  {
    name: "explain",
    args: "CODE|MESSAGE",
    ja: "ヘルプデスク向け: マイナポータル、e-Tax、JPKI のアプリのエラーコード(EI123-2008、115、HJS0432E、EW044-C300、E0008 など)やコードのないメッセージ(その文言)が何を意味すると報告されているか(出典と確かさ: 公式・第三者・未確認)と、リーダのカードがその原因かどうか(暗証番号なしで読む)を示す。公式アプリのエラー(EW044-C300、EM044-C300)には、このパソコンで公式アプリのホストがどのブラウザに登録されているかも示す(doctor と同じ確認、読むだけ)。知らないコードには一般的なチェックリストを示す。",
    en: "For help desks: what an error code from Mynaportal, e-Tax or the JPKI apps (EI123-2008, 115, HJS0432E, EW044-C300, E0008, ...) or a message shown without a code (its words, quoted) is reported to mean, with its sources and how sure that is (official / third-party / unverified), and whether the card in the reader explains it (read without a PIN). For the official app's errors (EW044-C300, EM044-C300) also which browsers the official app's host is registered with on this computer (doctor's check, read only). Unknown codes get the general checklist.",
    options: [
      {
        flag: "--where SYSTEM",
        ja: "どこで表示されたか(mynaportal、mynaportal-extension、mynaportal-smartphone、etax、jpki-smartphone)。システムによって意味の違うコード(E0001)のため",
        en: "where it was seen (mynaportal, mynaportal-extension, mynaportal-smartphone, etax, jpki-smartphone), for codes that mean different things in different systems (E0001)",
      },
      {
        flag: "--no-card",
        ja: "カードを読まず、コードの意味だけを調べる",
        en: "the lookup only, without reading the card",
      },
      READER,
      VIRTUAL,
      JSON_OUT,
      LANG,
      MUNICIPALITY,
    ],
    examples: [
      ["explain EI123-2008", "what a reported error code means, and whether this card explains it"],
      ["explain E0001 --where etax --no-card", "a code that means different things in different systems"],
    ],
  },
  {
    name: "municipalities",
    args: "[QUERY]",
    ja: "全国の市区町村と政令市の区(コード、都道府県、名前、かな、窓口の詳しい情報があるか)、または QUERY(漢字、かな、コード)に合うものを一覧にする。",
    en: "Every municipality and designated-city ward (code, prefecture, name, kana, whether jpki-guard has curated counter data for it), or those matching QUERY (kanji, kana or code).",
    options: [JSON_OUT],
    examples: [["municipalities ふちゅう", "find a municipality's code (--json: the whole list)"]],
  },
  {
    name: "guidance validate",
    args: "FILE",
    ja: "寄稿された市区町村のデータファイル(docs/municipalities.md)を確かめ、問題をすべて JSON のパスつきで示す。終了コード 0 は正しい、65 は問題あり。",
    en: "Check a contributed municipality data file (docs/municipalities.md): every problem with its JSON path. Exit 0 valid, 65 invalid.",
    options: [JSON_OUT],
    examples: [["guidance validate FILE", "check a contributed municipality file"]],
  },
  {
    name: "install",
    ja: "ブラウザ拡張機能とカードをつなぐホスト(ネイティブメッセージング)を、このユーザーのブラウザに登録する。起動用のスクリプトは、このコマンドを動かしている node の絶対パスでホストを起動する。リリースのパッケージを入れた人には不要。",
    en: "Register the native-messaging host that connects the browser extension to the card, for this user's browsers. The launcher runs the host with the absolute path of this node. Not needed after installing a release package.",
    options: [
      BROWSER,
      {
        flag: "--extension-id ID",
        ja: "許可する Chrome 系の拡張機能 ID(繰り返し指定できる。既定は jpki-guard 拡張機能の ID)",
        en: "a Chromium-family extension id to allow (may be repeated; default: the jpki-guard extension's)",
      },
      {
        flag: "--firefox-id ID",
        ja: "許可する Firefox のアドオン ID(繰り返し指定できる。既定は jpki-guard のもの)",
        en: "a Firefox add-on id to allow (may be repeated; default: jpki-guard's)",
      },
      SYSTEM,
      USER_DATA_DIR,
    ],
    examples: [
      ["install", "this user's Chrome, Chromium, Edge, Brave, Vivaldi and Firefox"],
      ["install --browser chromium --extension-id <32 letters a-p>", "one browser, another extension id"],
    ],
  },
  {
    name: "uninstall",
    ja: "install で登録したホストの設定と起動用スクリプトを取り除く。",
    en: "Remove the host manifests and launcher that install wrote.",
    options: [BROWSER, SYSTEM, USER_DATA_DIR],
    examples: [["uninstall", "remove what install wrote for this user"]],
  },
  {
    name: "demo",
    ja: "準備直後の確認: 最初のリーダのカードを確かめる。カードの入ったリーダがなければ、内蔵の仮想カード(そう表示する)を確かめる。",
    en: "The main job of a fresh set-up: check the card in the first reader, or, when there is no reader with a card, the built-in virtual card (labelled).",
    options: [READER, MUNICIPALITY, LANG],
    dev: true,
  },
  {
    name: "profiles",
    ja: "仮想カードのプロファイルを一覧にする。",
    en: "List the virtual card profiles.",
    options: [],
    dev: true,
  },
];

export const EXIT_CODES: ReadonlyArray<[number, string, string]> = [
  [0, "使える(doctor も同じ判定)", "ready: the card will work for the action (doctor: the same verdict)"],
  [1, "要確認", "attention: it will work, but something needs attention"],
  [2, "使えない", "blocked: it will not work as things are"],
  [3, "判定できない", "cannot tell: no reader, no card, card busy or removed, PC/SC not running..."],
  [64, "コマンドの誤り", "usage error: bad command or option"],
  [65, "データの誤り", "invalid data: guidance validate or doctor --read found problems in the file"],
  [70, "予期しない失敗", "failure: an unexpected error (a bug: please report it)"],
];

export const SUMMARY = {
  ja: "マイナンバーカードの電子証明書と暗証番号の状態を、使う前に確認します。",
  en: "will my My Number card work for Mynaportal login or e-Tax signing?",
};
