/** The portal tabs that show a banner, and pushing a fresh one to each when the card's status changes. */
import type { PortalAction } from "../portals";

export class PortalTabs {
  private readonly tabs = new Map<number, PortalAction>();

  constructor(
    private readonly send: (tabId: number, message: unknown) => Promise<unknown>,
    /** At most this many tabs are remembered (the oldest go first). */
    private readonly max = 50,
    /** Told the number of tabs after every change (open portal tabs are a reason to run the host). */
    private readonly onSize: (n: number) => void = () => undefined,
  ) {}

  has(tabId: number): boolean {
    return this.tabs.has(tabId);
  }

  add(tabId: number, action: PortalAction): void {
    this.tabs.delete(tabId);
    this.tabs.set(tabId, action);
    while (this.tabs.size > this.max) this.tabs.delete(this.tabs.keys().next().value as number);
    this.onSize(this.tabs.size);
  }

  remove(tabId: number): void {
    if (this.tabs.delete(tabId)) this.onSize(this.tabs.size);
  }

  get size(): number {
    return this.tabs.size;
  }

  /** Send each tab its banner; a tab that no longer listens is forgotten. */
  async push(modelFor: (action: PortalAction) => Promise<unknown>): Promise<void> {
    for (const [tabId, action] of [...this.tabs]) {
      const model = await modelFor(action);
      await this.send(tabId, { type: "banner", model }).catch(() => this.remove(tabId));
    }
  }
}
