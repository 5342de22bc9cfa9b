import { describe, expect, it, vi } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { AppError } from '@/lib/errors';

// The retry asks the router for the page again; outside Next there is no router to mount.
vi.mock('next/navigation', () => ({ useRouter: () => ({ refresh: () => undefined }) }));

const { Streamed, started } = await import('./streamed');

describe('a streamed section', () => {
  it('shows its read once it arrives', async () => {
    const out = await Streamed({ data: Promise.resolve(3), label: 'clusters', children: (n: number) => createElement('p', null, `${n} clusters`) });
    expect(renderToStaticMarkup(out)).toBe('<p>3 clusters</p>');
  });

  it('shows a failed read in words, in its own section, with a retry', async () => {
    const data = started(Promise.reject(new AppError('upstream', 'ARM answered 503', 'ServiceUnavailable')));
    const html = renderToStaticMarkup(await Streamed({ data, label: 'backups', children: () => 'unused' }));
    expect(html).toContain('role="alert"');
    expect(html).toContain('aria-label="backups failed"');
    expect(html).toContain('Could not read the backups: ');
    expect(html).toContain('ARM answered 503');
    expect(html).toMatch(/<button[^>]*aria-label="retry backups"[^>]*>Retry<\/button>/);
  });
});
