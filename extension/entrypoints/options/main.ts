/** Options: municipality, language, reminders, extra portals (optional host permissions). */
import browser from "webextension-polyfill";
import { buildChooser, municipalityLabel } from "../../lib/municipality-chooser";
import { typedSend } from "../../lib/send";
import {
  chooseMunicipality,
  PortalPatternSchema,
  parseManaged,
  parseSettings,
  portalPatternProblem,
  type Settings,
} from "../../lib/settings";
import { text } from "../../lib/ui-text";

const app = document.getElementById("app")!;
const send = typedSend((m) => browser.runtime.sendMessage(m));

async function load(): Promise<Settings> {
  return parseSettings((await browser.storage.local.get("settings")).settings);
}

async function save(s: Settings): Promise<void> {
  await browser.storage.local.set({ settings: s });
  await send({ type: "settings-changed" });
}

function field(label: string, control: HTMLElement, id: string): HTMLElement {
  control.id = id;
  const l = document.createElement("label");
  l.htmlFor = id;
  l.textContent = label;
  const p = document.createElement("p");
  p.append(l, document.createElement("br"), control);
  return p;
}

async function render(): Promise<void> {
  const s = await load();
  const t = text(s.language);
  document.documentElement.lang = s.language;
  const status = document.createElement("p");
  status.setAttribute("role", "status");
  const done = async (next: Settings) => {
    await save(next);
    status.textContent = t.saved;
    await render();
  };

  // The municipality: an administrator's preset (managed storage) is shown, not editable; else the chooser.
  const managed = parseManaged(await browser.storage.managed.get("municipality").catch(() => null));
  const muni = document.createElement("div");
  muni.id = "municipality";
  const heading = Object.assign(document.createElement("h2"), { textContent: t.municipality });
  if (managed) {
    muni.append(
      Object.assign(document.createElement("p"), {
        id: "municipality-managed",
        textContent: `${await municipalityLabel(managed)}(${t.muniManaged})`,
      }),
    );
  } else {
    const current = s.municipalityChosen ? s.municipality : null;
    muni.append(
      Object.assign(document.createElement("p"), {
        id: "municipality-current",
        textContent: `${t.muniCurrent}: ${current ? await municipalityLabel(current) : t.muniNational}`,
      }),
      await buildChooser({
        lang: s.language,
        preselect: null,
        current: null,
        idPrefix: "options-muni",
        onChoose: (code) => done(chooseMunicipality(s, code)),
      }),
    );
  }

  const lang = document.createElement("select");
  lang.append(new Option("日本語", "ja"), new Option("English", "en"));
  lang.value = s.language;
  lang.addEventListener("change", () => void done({ ...s, language: lang.value === "en" ? "en" : "ja" }));

  const rem = document.createElement("input");
  rem.type = "checkbox";
  rem.checked = s.reminders;
  rem.addEventListener("change", () => void done({ ...s, reminders: rem.checked }));

  const list = document.createElement("ul");
  for (const p of s.portals) {
    const li = document.createElement("li");
    const rm = document.createElement("button");
    rm.textContent = t.removePortal;
    rm.setAttribute("aria-label", `${t.removePortal} ${p}`);
    rm.addEventListener("click", async () => {
      await browser.permissions.remove({ origins: [p] }).catch(() => false);
      await done({ ...s, portals: s.portals.filter((x) => x !== p) });
    });
    li.append(`${p} `, rm);
    list.append(li);
  }
  const input = document.createElement("input");
  input.placeholder = t.portalHint;
  input.size = 36;
  const add = document.createElement("button");
  add.textContent = t.addPortal;
  const err = document.createElement("p");
  err.className = "err";
  err.setAttribute("aria-live", "polite");
  add.addEventListener("click", async () => {
    const v = PortalPatternSchema.safeParse(input.value.trim());
    if (!v.success) {
      err.textContent = portalPatternProblem(input.value.trim()) ?? v.error.issues[0]?.message ?? "";
      return;
    }
    // Must run in the click's user gesture.
    const granted = await browser.permissions.request({ origins: [v.data] });
    if (granted && !s.portals.includes(v.data)) await done({ ...s, portals: [...s.portals, v.data] });
  });

  app.replaceChildren(
    Object.assign(document.createElement("h1"), { textContent: `${t.title}: ${t.options}` }),
    heading,
    muni,
    field(t.language, lang, "language"),
    field(t.reminders, rem, "reminders"),
    Object.assign(document.createElement("h2"), { textContent: t.portals }),
    list,
    field(t.portalHint, input, "portal"),
    add,
    err,
    status,
  );
}

void render();
