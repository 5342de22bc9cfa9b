/**
 * Redaction of job output before it is stored or sent: known secret patterns and the
 * configured secret values. Stateful per job, because a private key spans several lines.
 */
import 'server-only';
export const REDACTED = '[REDACTED]';

const PATTERNS: [RegExp, string][] = [
  // Authorization headers and bearer tokens.
  [/\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi, `$1 ${REDACTED}`],
  // JWTs anywhere (access and ID tokens).
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // client_secret=… / "client_secret": "…" / --client-secret … / password=…
  [/\b(client[_-]?secret|password|passwd|pwd|secret|api[_-]?key|access[_-]?token|refresh[_-]?token)(["']?\s*[:=]\s*["']?)[^"'\s&;,]+/gi, `$1$2${REDACTED}`],
  [/(--(?:client-secret|password|secret|sas-token|account-key))(\s+|=)\S+/gi, `$1$2${REDACTED}`],
  // Connection strings: AccountKey=…; SharedAccessKey=…; Password=…; InstrumentationKey stays (not a secret).
  [/\b(AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd)=[^;"'\s]+/gi, `$1=${REDACTED}`],
  // SAS signatures in URLs.
  [/([?&]sig=)[^&\s"']+/gi, `$1${REDACTED}`],
  // user:password@ in URLs (postgresql://, https://).
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@\s/]+@/gi, `$1${REDACTED}@`],
];

const KEY_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
const KEY_END = /-----END [A-Z0-9 ]*PRIVATE KEY-----/;

export class Redactor {
  private inKey = false;
  private readonly values: string[];

  constructor(secretValues: string[] = []) {
    // Longest first, so that a value containing another is replaced whole.
    this.values = [...new Set(secretValues.filter((v) => v.length >= 6))].sort((a, b) => b.length - a.length);
  }

  line(text: string): string {
    if (this.inKey) {
      if (KEY_END.test(text)) {
        this.inKey = false;
        return text.replace(/^.*?(-----END [A-Z0-9 ]*PRIVATE KEY-----)/, `${REDACTED}$1`);
      }
      return REDACTED;
    }
    const begin = KEY_BEGIN.exec(text);
    if (begin) {
      const rest = text.slice(begin.index + begin[0].length);
      if (KEY_END.test(rest)) return text.slice(0, begin.index) + begin[0] + REDACTED + rest.slice(rest.search(KEY_END));
      this.inKey = true;
      return text.slice(0, begin.index + begin[0].length) + (rest ? REDACTED : '');
    }
    let out = text;
    for (const value of this.values) out = out.split(value).join(REDACTED);
    for (const [re, to] of PATTERNS) out = out.replace(re, to);
    return out;
  }
}
