import { describe, expect, it } from 'vitest';
import { Redactor } from './redact';

describe('Redactor', () => {
  const cases: [string, string][] = [
    ['Authorization: Bearer eyJhbGciOi.abc', 'Authorization: Bearer [REDACTED]'],
    ['token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl end', 'token [REDACTED] end'],
    ['client_secret=abc123&scope=x', 'client_secret=[REDACTED]&scope=x'],
    ['"client_secret": "s3cr3t"', '"client_secret": "[REDACTED]"'],
    ['az login --password hunter2 -u me', 'az login --password [REDACTED] -u me'],
    ['Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=AAA=', 'Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=[REDACTED]'],
    ['Server=db;User Id=u;Password=p@ss;', 'Server=db;User Id=u;Password=[REDACTED];'],
    ['https://a.blob.core.windows.net/c?sp=r&sig=abc%2F%3D', 'https://a.blob.core.windows.net/c?sp=r&sig=[REDACTED]'],
    ['postgresql://app:pw123@db:5432/x', 'postgresql://app:[REDACTED]@db:5432/x'],
    ['InstrumentationKey=0000-1111;IngestionEndpoint=https://x', 'InstrumentationKey=0000-1111;IngestionEndpoint=https://x'],
    ['Plan: 3 to add, 0 to change, 0 to destroy.', 'Plan: 3 to add, 0 to change, 0 to destroy.'],
  ];
  it.each(cases)('%s', (input, expected) => {
    expect(new Redactor().line(input)).toBe(expected);
  });

  it('redacts configured values, longest first', () => {
    const r = new Redactor(['abcdef', 'abcdefgh', 'short']);
    expect(r.line('x abcdefgh y abcdef z short')).toBe('x [REDACTED] y [REDACTED] z short');
  });

  it('redacts a private key across lines, and a one-line key', () => {
    const r = new Redactor();
    expect(['a', '-----BEGIN OPENSSH PRIVATE KEY-----', 'b3BlbnNzaC1rZXk', 'more', '-----END OPENSSH PRIVATE KEY-----', 'after'].map((l) => r.line(l))).toEqual([
      'a', '-----BEGIN OPENSSH PRIVATE KEY-----', '[REDACTED]', '[REDACTED]', '[REDACTED]-----END OPENSSH PRIVATE KEY-----', 'after',
    ]);
    expect(new Redactor().line('key: -----BEGIN PRIVATE KEY-----MIIabc-----END PRIVATE KEY----- ok')).toBe('key: -----BEGIN PRIVATE KEY-----[REDACTED]-----END PRIVATE KEY----- ok');
  });
});
