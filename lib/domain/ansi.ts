/**
 * ANSI SGR colours (what tofu, helm and install.sh print) → styled segments for the log view.
 * Pure and small on purpose: only SGR (`ESC[…m`) is interpreted; other escape sequences are dropped.
 */
export interface AnsiStyle {
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
}

export interface AnsiSegment {
  text: string;
  style: AnsiStyle;
}

const COLORS = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];
const BRIGHT = COLORS.map((c) => `bright-${c}`);

const ESCAPE = /\u001b\[([0-9;?]*)([A-Za-z])|\u001b[()][A-Za-z0-9]|\u001b[=>]|\r/g;

function apply(style: AnsiStyle, params: number[]): AnsiStyle {
  const s = { ...style };
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (p === 0) for (const k of Object.keys(s)) delete s[k as keyof AnsiStyle];
    else if (p === 1) s.bold = true;
    else if (p === 2) s.dim = true;
    else if (p === 3) s.italic = true;
    else if (p === 4) s.underline = true;
    else if (p === 22) { delete s.bold; delete s.dim; }
    else if (p === 23) delete s.italic;
    else if (p === 24) delete s.underline;
    else if (p >= 30 && p <= 37) s.fg = COLORS[p - 30];
    else if (p === 39) delete s.fg;
    else if (p >= 40 && p <= 47) s.bg = COLORS[p - 40];
    else if (p === 49) delete s.bg;
    else if (p >= 90 && p <= 97) s.fg = BRIGHT[p - 90];
    else if (p >= 100 && p <= 107) s.bg = BRIGHT[p - 100];
    else if ((p === 38 || p === 48) && params[i + 1] === 5) {
      // 256 colours: the 16 standard ones by name, the rest approximated to none.
      const n = params[i + 2];
      const name = n < 8 ? COLORS[n] : n < 16 ? BRIGHT[n - 8] : undefined;
      if (name) s[p === 38 ? 'fg' : 'bg'] = name;
      i += 2;
    } else if ((p === 38 || p === 48) && params[i + 1] === 2) i += 4;
  }
  return s;
}

/** Parses one line; `state` carries the style over from the previous line (colours may span lines). */
export function parseAnsi(line: string, state: AnsiStyle = {}): { segments: AnsiSegment[]; state: AnsiStyle } {
  const segments: AnsiSegment[] = [];
  let style = state;
  let last = 0;
  const push = (text: string) => {
    if (!text) return;
    const prev = segments[segments.length - 1];
    if (prev && prev.style === style) prev.text += text;
    else segments.push({ text, style });
  };
  for (const m of line.matchAll(ESCAPE)) {
    push(line.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[2] === 'm') style = apply(style, (m[1] || '0').split(';').map((x) => Number(x) || 0));
  }
  push(line.slice(last));
  return { segments, state: style };
}

export function stripAnsi(line: string): string {
  return line.replace(ESCAPE, '');
}
