/** Waiting in the transport: a plain sleep, and the bounded wait for a card another program holds. */
import { JpkiGuardError } from "@jpki-guard/shared/rules";

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Run a PC/SC call that may wait on another program (connect, begin
 * transaction). If it has not returned by `ms`, reject with card-busy and
 * hand its eventual result to `abandon`, which releases whatever it got.
 */
export function bounded<T>(p: Promise<T>, ms: number, abandon: (late: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(new JpkiGuardError("card-busy", "the card is in use by another program"));
    }, ms);
    p.then(
      (v) => {
        if (done) abandon(v);
        else {
          done = true;
          clearTimeout(timer);
          resolve(v);
        }
      },
      (e) => {
        if (!done) {
          done = true;
          clearTimeout(timer);
          reject(e);
        }
      },
    );
  });
}
