/** The portal tabs that show a banner, and pushing a fresh one to each when the card's status changes. */
import type { PortalId } from "@jpki-guard/shared";
import type { PortalAction } from "../portals";

/** What a portal tab is: its action, and which built-in portal (null: a user-added one). */
export interface PortalTab {
  action: PortalAction;
  portal: PortalId | null;
}

export class PortalTabs {
  private readonly tabs = new Map<number, PortalTab>();

  constructor(
    private readonly send: (tabId: number, message: unknown) => Promise<unknown>,
    /** At most this many tabs are remembered (the oldest go first). */
    private readonly max = 50,
    /** Told the number of tabs after every change (open portal tabs are a reason to run the host). */
    private readonly onSize: (n: number) => void = () => undefined,
    /** Told when a tab is forgotten (its page findings go with it). */
    private readonly onRemove: (tabId: number) => void = () => undefined,
  ) {}

  has(tabId: number): boolean {
    return this.tabs.has(tabId);
  }

  add(tabId: number, action: PortalAction, portal: PortalId | null = null): void {
    this.tabs.delete(tabId);
    this.tabs.set(tabId, { action, portal });
    while (this.tabs.size > this.max) this.forget(this.tabs.keys().next().value as number);
    this.onSize(this.tabs.size);
  }

  remove(tabId: number): void {
    if (this.forget(tabId)) this.onSize(this.tabs.size);
  }

  private forget(tabId: number): boolean {
    const had = this.tabs.delete(tabId);
    if (had) this.onRemove(tabId);
    return had;
  }

  /** The tab, if it is a portal tab. */
  get(tabId: number): PortalTab | null {
    return this.tabs.get(tabId) ?? null;
  }

  /** The portal tab opened (or reloaded) last, or null. */
  latest(): ({ tabId: number } & PortalTab) | null {
    let last: ({ tabId: number } & PortalTab) | null = null;
    for (const [tabId, t] of this.tabs) last = { tabId, ...t };
    return last;
  }

  get size(): number {
    return this.tabs.size;
  }

  /** Send each tab its banner; a tab that no longer listens is forgotten. */
  async push(
    modelFor: (action: PortalAction, tab: { tabId: number; portal: PortalId | null }) => Promise<unknown>,
  ): Promise<void> {
    for (const [tabId, t] of [...this.tabs]) {
      const model = await modelFor(t.action, { tabId, portal: t.portal });
      await this.send(tabId, { type: "banner", model }).catch(() => this.remove(tabId));
    }
  }
}
