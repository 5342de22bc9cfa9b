'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { parseAnsi, type AnsiStyle } from '@/lib/domain/ansi';

/**
 * A job's log, live: server-sent events from /jobs/<id>/stream (the browser's EventSource
 * resumes from the last event id by itself after a drop). Only the rows in view are rendered
 * (fixed row height), so a log of 100 000 lines scrolls like one of 100; it follows the tail
 * until the reader scrolls up.
 */
interface Line {
  seq: number;
  at: number;
  stream: 'out' | 'err' | 'sys';
  text: string;
}

/** Lines received so far; appended outside render, read during render after a version bump. */
class LogBuffer {
  readonly lines: Line[] = [];

  append(batch: Line[]): void {
    // A resumed stream starts after the last id; never append a line twice.
    const last = this.lines.length ? this.lines[this.lines.length - 1].seq : 0;
    for (const l of batch) if (l.seq > last) this.lines.push(l);
  }
}

const ROW = 20;
const HEIGHT = 520;
const OVERSCAN = 30;

// The 16 ANSI colours on a dark background (inline: class names cannot be built at run time).
const COLOURS: Record<string, string> = {
  black: '#64748b', red: '#f87171', green: '#4ade80', yellow: '#facc15', blue: '#60a5fa', magenta: '#e879f9', cyan: '#22d3ee', white: '#e2e8f0',
  'bright-black': '#94a3b8', 'bright-red': '#fca5a5', 'bright-green': '#86efac', 'bright-yellow': '#fde047', 'bright-blue': '#93c5fd', 'bright-magenta': '#f0abfc', 'bright-cyan': '#67e8f9', 'bright-white': '#ffffff',
};

function css(s: AnsiStyle): React.CSSProperties {
  return {
    color: s.fg ? COLOURS[s.fg] : undefined,
    backgroundColor: s.bg ? COLOURS[s.bg] : undefined,
    fontWeight: s.bold ? 700 : undefined,
    opacity: s.dim ? 0.7 : undefined,
    fontStyle: s.italic ? 'italic' : undefined,
    textDecoration: s.underline ? 'underline' : undefined,
  };
}

function LogRow({ line, top }: { line: Line; top: number }) {
  const segments = useMemo(() => parseAnsi(line.text).segments, [line.text]);
  const time = new Date(line.at).toISOString().slice(11, 23);
  return (
    <div data-seq={line.seq} className="absolute left-0 right-0 flex whitespace-pre px-2 font-mono text-xs leading-5" style={{ top, height: ROW }}>
      <span className="w-12 shrink-0 select-none pr-2 text-right text-slate-500">{line.seq}</span>
      <span className="w-24 shrink-0 select-none text-slate-500">{time}</span>
      <span className={line.stream === 'err' ? 'text-rose-300' : line.stream === 'sys' ? 'italic text-sky-300' : 'text-slate-100'}>
        {segments.map((s, i) => (
          <span key={i} style={css(s.style)}>{s.text}</span>
        ))}
      </span>
    </div>
  );
}

export function LiveLog({ jobId, initialStatus }: { jobId: string; initialStatus: string }) {
  const router = useRouter();
  const [buffer] = useState(() => new LogBuffer());
  const [count, setCount] = useState(0);
  const [status, setStatus] = useState(initialStatus);
  const [connection, setConnection] = useState<'connecting' | 'live' | 'reconnecting' | 'ended'>('connecting');
  const [scrollTop, setScrollTop] = useState(0);
  const [follow, setFollow] = useState(true);
  const box = useRef<HTMLDivElement>(null);
  const frame = useRef<number | null>(null);

  const schedule = useCallback(() => {
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      setCount(buffer.lines.length);
    });
  }, [buffer]);

  useEffect(() => {
    const es = new EventSource(`/jobs/${jobId}/stream?after=0`);
    es.onopen = () => setConnection('live');
    es.onerror = () => setConnection((c) => (c === 'ended' ? c : 'reconnecting'));
    es.addEventListener('lines', (e) => {
      buffer.append(JSON.parse((e as MessageEvent<string>).data) as Line[]);
      schedule();
    });
    es.addEventListener('status', (e) => setStatus((JSON.parse((e as MessageEvent<string>).data) as { status: string }).status));
    es.addEventListener('end', (e) => {
      setStatus((JSON.parse((e as MessageEvent<string>).data) as { status: string }).status);
      setConnection('ended');
      es.close();
      router.refresh();
    });
    return () => {
      es.close();
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    };
  }, [jobId, router, schedule, buffer]);

  useLayoutEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [count, follow]);

  const first = Math.max(0, Math.floor(scrollTop / ROW) - OVERSCAN);
  const last = Math.min(count, Math.ceil((scrollTop + HEIGHT) / ROW) + OVERSCAN);
  const visible = buffer.lines.slice(first, last);

  return (
    <section aria-label="live log" className="flex flex-col gap-2">
      <div className="flex items-center gap-3 text-xs text-slate-500">
        <span aria-label="line count">{count.toLocaleString('en')} lines</span>
        <span aria-label="log connection">{connection === 'live' ? '● live' : connection}</span>
        <span aria-label="streamed status">status: {status}</span>
        {!follow && (
          <button type="button" className="ml-auto underline" onClick={() => setFollow(true)}>Follow the end</button>
        )}
      </div>
      <div
        ref={box}
        role="log"
        aria-label="job log"
        aria-live="off"
        className="relative overflow-auto rounded-lg bg-slate-950 py-1"
        style={{ height: HEIGHT }}
        onScroll={(e) => {
          const el = e.currentTarget;
          setScrollTop(el.scrollTop);
          const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < ROW * 2;
          if (atEnd !== follow) setFollow(atEnd);
        }}
      >
        <div style={{ height: count * ROW, position: 'relative' }}>
          {visible.map((l, i) => (
            <LogRow key={l.seq} line={l} top={(first + i) * ROW} />
          ))}
        </div>
      </div>
    </section>
  );
}
