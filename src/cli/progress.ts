/**
 * The progress bar every task draws on stderr: step i/N, the loss (or any
 * status), images/s and ETA, redrawn in place on a terminal; on a pipe or log
 * file, the final line only (and, with `heartbeat`, a line every so often).
 *
 * ```ts
 * import { Progress } from "./progress.ts";
 * const bar = new Progress({ label: "epoch 1/10", total: 469, batchSize: 128 });
 * bar.update(1, 0.69);
 * bar.finish("train 0.1234  test 0.1200");
 * ```
 *
 * @module
 */

/** Options for {@linkcode Progress}. */
export interface ProgressOptions {
  /** Printed before the bar, e.g. `epoch 3/10`. */
  label: string;
  /** Steps in the epoch. */
  total: number;
  /** Images per step, for the throughput (default: no throughput shown). */
  batchSize?: number;
  /** On a pipe, also print the line at most this often, in seconds (default: never). */
  heartbeat?: number;
  /** Redraw in place (default: whether stderr is a terminal). */
  live?: boolean;
  /** Where lines go (default: stderr). */
  write?: (text: string) => void;
  /** Print nothing (default false). */
  quiet?: boolean;
}

const encoder = new TextEncoder();
const stderr = (text: string) => void Deno.stderr.writeSync(encoder.encode(text));

/** Formats seconds as `1m05s` or `12.3s`. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - 60 * m)).padStart(2, "0")}s`;
}

/** One epoch's progress bar. */
export class Progress {
  readonly #opts: Required<ProgressOptions>;
  readonly #start = performance.now();
  #lastDraw = 0;
  #step = 0;
  #status = "loss ?";

  /** A bar as `options` say. */
  constructor(options: ProgressOptions) {
    this.#opts = {
      live: Deno.stderr.isTerminal(),
      write: stderr,
      quiet: false,
      batchSize: 0,
      heartbeat: Infinity,
      ...options,
    };
  }

  /** Whether the bar is drawn as the epoch runs (a live terminal, not quiet). */
  get drawing(): boolean {
    return this.#opts.live && !this.#opts.quiet;
  }

  /**
   * Records step `step` (1-based) and its loss (or a status text); redraws at
   * most 10 times a second.
   */
  update(step: number, status: number | string): void {
    this.#step = step;
    this.#status = typeof status === "number" ? `loss ${status.toFixed(4)}` : status;
    if (this.#opts.quiet) return;
    const now = performance.now();
    if (this.#opts.live && (now - this.#lastDraw > 100 || step === this.#opts.total)) {
      this.#lastDraw = now;
      this.#opts.write(`\r${this.line()}\x1b[K`);
    } else if (!this.#opts.live && now - this.#lastDraw > 1000 * this.#opts.heartbeat) {
      this.#lastDraw = now;
      this.#opts.write(`${this.line()}\n`);
    }
  }

  /** The bar as text. */
  line(): string {
    const { label, total, batchSize } = this.#opts;
    const elapsed = (performance.now() - this.#start) / 1000;
    const width = 24, filled = Math.round((width * this.#step) / total);
    const rate = (this.#step * batchSize) / Math.max(elapsed, 1e-9);
    const eta = this.#step ? (elapsed / this.#step) * (total - this.#step) : NaN;
    return `${label} [${"=".repeat(filled)}${" ".repeat(width - filled)}] ${this.#step}/${total} ` +
      `${this.#status}${batchSize ? ` ${rate.toFixed(0)} img/s` : ""} ETA ${formatSeconds(eta)}`;
  }

  /** Ends the epoch's bar with a summary, on its own line. */
  finish(summary: string): void {
    if (this.#opts.quiet) return;
    const elapsed = formatSeconds((performance.now() - this.#start) / 1000);
    const { live, label, total, write } = this.#opts;
    write(
      `${live ? "\r" : ""}${label} ${this.#step}/${total} ${elapsed}  ${summary}${
        live ? "\x1b[K" : ""
      }\n`,
    );
  }
}
