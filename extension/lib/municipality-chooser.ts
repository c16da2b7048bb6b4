/**
 * The municipality chooser (popup first use, options): a search field in the
 * WAI-ARIA combobox pattern (arrow keys move through the list, Enter
 * chooses, Escape closes; the count of matches is announced), over the
 * national list, which is loaded only when the chooser is built (its own
 * chunk: nothing of it in the background or the portal pages).
 */
import type { Lang } from "./ui-text";
import { text } from "./ui-text";

export interface ChooserOptions {
  lang: Lang;
  /** Shown first (an older version's unconfirmed value). */
  preselect: string | null;
  /** The current choice, for the options page. */
  current: string | null;
  onChoose: (code: string | null) => void | Promise<void>;
  idPrefix: string;
}

export async function buildChooser(o: ChooserOptions): Promise<HTMLElement> {
  const { placeByCode, searchPlaces } = await import("@jpki-guard/shared/places");
  const t = text(o.lang);
  const id = (s: string) => `${o.idPrefix}-${s}`;
  const label = (code: string) => {
    const p = placeByCode(code);
    return p ? `${p.prefecture} ${p.fullName}(${p.code})` : code;
  };
  const wrap = document.createElement("div");
  wrap.className = "chooser";
  const style = document.createElement("style");
  // The active option must be visible to sighted keyboard users, not only announced.
  style.textContent =
    ".chooser [role=listbox]{list-style:none;margin:4px 0;padding:0;max-height:14em;overflow:auto;border:1px solid #888;border-radius:4px}" +
    ".chooser [role=option]{padding:4px 8px;cursor:pointer}" +
    ".chooser [role=option]:hover{background:#eef2ff}" +
    ".chooser [role=option][aria-selected=true]{background:#1d4ed8;color:#fff;outline:2px solid #1d4ed8}" +
    ".chooser input{width:100%;max-width:24em;font-size:16px;padding:4px}";
  wrap.append(style);
  const l = document.createElement("label");
  l.htmlFor = id("input");
  l.textContent = t.muniSearchLabel;
  const input = document.createElement("input");
  Object.assign(input, { id: id("input"), type: "text", autocomplete: "off", spellcheck: false });
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", id("list"));
  input.setAttribute("aria-describedby", id("hint"));
  input.maxLength = 40;
  const hint = document.createElement("p");
  hint.id = id("hint");
  hint.className = "note";
  hint.textContent = t.muniSearchHint;
  const list = document.createElement("ul");
  list.id = id("list");
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", t.muniSearchLabel);
  list.hidden = true;
  const count = document.createElement("p");
  count.id = id("count");
  count.className = "note";
  count.setAttribute("role", "status");
  let matches: string[] = [];
  let active = -1;

  const setActive = (i: number) => {
    active = i;
    for (const [k, li] of [...list.children].entries()) li.setAttribute("aria-selected", String(k === i));
    if (i >= 0) input.setAttribute("aria-activedescendant", id(`opt-${i}`));
    else input.removeAttribute("aria-activedescendant");
    (list.children[i] as HTMLElement | undefined)?.scrollIntoView?.({ block: "nearest" });
  };
  const choose = async (code: string | null) => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    await o.onChoose(code);
  };
  const update = () => {
    const q = input.value.trim();
    const found = q ? searchPlaces(q, 30) : [];
    matches = found.map((p) => p.code);
    list.replaceChildren(
      ...found.map((p, i) => {
        const li = document.createElement("li");
        li.id = id(`opt-${i}`);
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.code = p.code;
        li.textContent = `${p.prefecture} ${p.fullName}(${p.kana}) ${p.code}`;
        li.addEventListener("mousedown", (e) => e.preventDefault());
        li.addEventListener("click", () => void choose(p.code));
        return li;
      }),
    );
    list.hidden = found.length === 0;
    input.setAttribute("aria-expanded", String(found.length > 0));
    count.textContent = q ? t.muniMatches(found.length) : "";
    setActive(-1);
  };
  input.addEventListener("input", update);
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" && matches.length) {
      e.preventDefault();
      setActive(Math.min(active + 1, matches.length - 1));
    } else if (e.key === "ArrowUp" && matches.length) {
      e.preventDefault();
      setActive(Math.max(active - 1, 0));
    } else if (e.key === "Enter") {
      e.preventDefault();
      const code = matches[active >= 0 ? active : matches.length === 1 ? 0 : -1];
      if (code) void choose(code);
    } else if (e.key === "Escape") {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }
  });

  wrap.append(l, input, hint, count, list);
  const buttons = document.createElement("p");
  if (o.preselect && placeByCode(o.preselect)) {
    const keep = document.createElement("button");
    keep.type = "button";
    keep.id = id("keep");
    keep.textContent = t.muniKeep(label(o.preselect));
    keep.addEventListener("click", () => void choose(o.preselect));
    buttons.append(keep, " ");
  }
  const none = document.createElement("button");
  none.type = "button";
  none.id = id("national");
  none.textContent = t.muniNone;
  none.addEventListener("click", () => void choose(null));
  buttons.append(none);
  wrap.append(buttons);
  if (o.current) {
    const cur = document.createElement("p");
    cur.id = id("current");
    cur.textContent = `${t.muniCurrent}: ${label(o.current)}`;
    wrap.prepend(cur);
  }
  return wrap;
}

/** "神奈川県 平塚市(142034)", for a code already chosen (loads the list). */
export async function municipalityLabel(code: string): Promise<string> {
  const { placeByCode } = await import("@jpki-guard/shared/places");
  const p = placeByCode(code);
  return p ? `${p.prefecture} ${p.fullName}(${p.code})` : code;
}
