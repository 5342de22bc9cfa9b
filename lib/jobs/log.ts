import 'server-only';
import { EventEmitter } from 'node:events';
import type { Db } from '../db';
import { Redactor } from './redact';

/**
 * A job's log: lines captured with their time and stream, redacted, numbered from 1, and
 * written to the database in batches (one insert per flush, not per line). Listeners in this
 * process are told after each flush, so an open log stream wakes at once; other instances poll.
 */
export type LineStream = 'out' | 'err' | 'sys';

export interface LogLine {
  seq: number;
  at: Date;
  stream: LineStream;
  text: string;
}

/** Lines longer than this are cut (a minified blob in a log helps nobody and costs the browser). */
export const MAX_LINE = 8_000;

const KEY = Symbol.for('aks-demo.jobs.events');
type Holder = { [KEY]?: EventEmitter };
/** `lines:<jobId>` after each flush, `status:<jobId>` after each status change. */
export function jobEvents(): EventEmitter {
  const g = globalThis as Holder;
  if (!g[KEY]) {
    g[KEY] = new EventEmitter();
    g[KEY].setMaxListeners(0);
  }
  return g[KEY];
}

export class JobLog {
  private seq: number;
  private pending: LogLine[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private timer?: ReturnType<typeof setInterval>;

  constructor(
    private readonly db: Db,
    readonly jobId: string,
    private readonly redactor: Redactor,
    options: { flushMs?: number; startSeq?: number } = {},
  ) {
    this.seq = options.startSeq ?? 0;
    this.timer = setInterval(() => void this.flush(), options.flushMs ?? 250);
    this.timer.unref?.();
  }

  get count(): number {
    return this.seq;
  }

  /** A whole text kept outside the log (a plan's rendered manifests), redacted as the log's lines are. */
  redactText(text: string): string {
    return text.split('\n').map((l) => this.redactor.line(l)).join('\n');
  }

  write(stream: LineStream, text: string): void {
    const cut = text.length > MAX_LINE ? `${text.slice(0, MAX_LINE)} … [${text.length - MAX_LINE} characters cut]` : text;
    this.seq += 1;
    this.pending.push({ seq: this.seq, at: new Date(), stream, text: this.redactor.line(cut) });
    if (this.pending.length >= 1000) void this.flush();
  }

  /** Writes what is pending; calls are serialised so batches land in order. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (!this.pending.length) return;
      const batch = this.pending;
      this.pending = [];
      await this.db.jobLine.createMany({ data: batch.map((l) => ({ jobId: this.jobId, ...l })) });
      await this.db.job.update({ where: { id: this.jobId }, data: { lineCount: batch[batch.length - 1].seq } });
      jobEvents().emit(`lines:${this.jobId}`);
    }).catch((err: unknown) => console.error(`job ${this.jobId}: could not store log lines`, err));
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}

/** Splits a byte stream into lines (\n, \r\n); a bare \r (progress redraw) keeps the last redraw. */
export class LineSplitter {
  private buffer = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    this.buffer += chunk;
    let i: number;
    while ((i = this.buffer.indexOf('\n')) >= 0) {
      this.emit(this.buffer.slice(0, i));
      this.buffer = this.buffer.slice(i + 1);
    }
    if (this.buffer.length > MAX_LINE * 4) {
      this.emit(this.buffer);
      this.buffer = '';
    }
  }

  end(): void {
    if (this.buffer) this.emit(this.buffer);
    this.buffer = '';
  }

  private emit(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const lastRedraw = line.lastIndexOf('\r');
    this.onLine(lastRedraw >= 0 ? line.slice(lastRedraw + 1) : line);
  }
}
