/**
 * The one way a PIN reaches the card from the extension. Checks the format,
 * refuses at one try left (or none), and lets exactly one check run at a
 * time: a second submission while one is running is refused, never queued
 * (queued, it would be a second VERIFY, perhaps the one that locks the PIN).
 */
import { type ErrorBody, errorAnswer, pinFormatProblem, type Status, serializeError } from "@jpki-guard/shared";

export type GateResult = { ok: true; status: Status } | { ok: false; error: ErrorBody };

export interface GateDeps {
  /** Ask the host to read the signature certificate with this PIN (one VERIFY). */
  read(pin: string): Promise<Status>;
  /** The signature PIN's tries left as last seen by the extension, or null. */
  knownTries(): number | null;
}

export class SignatureGate {
  private running = false;
  /** Tries left after our own last attempt (a wrong PIN), until a status says otherwise. */
  private afterLast: number | null = null;

  constructor(private readonly deps: GateDeps) {}

  /** A fresh status from the card replaces what the last attempt told. */
  forgetLastAttempt(): void {
    this.afterLast = null;
  }

  async submit(pin: string): Promise<GateResult> {
    const problem = pinFormatProblem("signature", pin);
    if (problem) return { ok: false, error: errorAnswer("pin-format") };
    // Another check is running: refused, never queued.
    if (this.running) return { ok: false, error: errorAnswer("card-busy") };
    const tries = this.afterLast ?? this.deps.knownTries();
    if (tries !== null && tries <= 1)
      return { ok: false, error: errorAnswer("pin-too-few-tries", { triesLeft: tries }) };
    this.running = true;
    try {
      const status = await this.deps.read(pin);
      this.afterLast = status.facts.pins.signature.triesLeft;
      return { ok: true, status };
    } catch (e) {
      // The one serializer: the host's code and tries left, the catalog's sentence.
      const error = serializeError(e);
      if (typeof error.triesLeft === "number") this.afterLast = error.triesLeft;
      return { ok: false, error };
    } finally {
      this.running = false;
    }
  }
}
