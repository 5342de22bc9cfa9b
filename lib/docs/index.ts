import 'server-only';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Marked, type Tokens } from 'marked';

/**
 * The repository's own documentation (`docs/*.md`), rendered for the in-app
 * help pages, so that the product can explain in plain words where it departs
 * from the architecture it was given, and link there.
 */
export const DOCS = {
  environment: 'The demo environment',
  'azure-differences': 'Where Azure differs from the architecture',
  scenarios: 'Writing a presenter scenario',
} as const;

export type DocSlug = keyof typeof DOCS;

export function isDocSlug(slug: string): slug is DocSlug {
  return Object.hasOwn(DOCS, slug);
}

/** The in-app address of a doc, optionally of one of its headings. */
export function docHref(slug: DocSlug, heading?: string): string {
  return `/docs/${slug}${heading ? `#${headingId(heading)}` : ''}`;
}

/** GitHub's anchor for a heading, so the same links work on GitHub and in the app. */
export function headingId(text: string): string {
  return text
    .toLowerCase()
    .trim()
    .replace(/<[^>]*>/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** `other.md#x` between docs becomes the in-app `/docs/other#x`; anything else is left as written. */
export function rewriteDocLink(href: string): string {
  const m = /^(?:\.\/)?([a-z0-9-]+)\.md(#.*)?$/.exec(href);
  return m && isDocSlug(m[1]) ? `/docs/${m[1]}${m[2] ?? ''}` : href;
}

const markdown = new Marked({
  gfm: true,
  walkTokens(token) {
    if (token.type === 'link') (token as Tokens.Link).href = rewriteDocLink((token as Tokens.Link).href);
  },
  renderer: {
    heading({ tokens, depth, text }) {
      return `<h${depth} id="${headingId(text)}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
    },
    link({ href, title, tokens }) {
      const external = /^https?:\/\//.test(href);
      const label = this.parser.parseInline(tokens);
      const attrs = `${title ? ` title="${title}"` : ''}${external ? ' rel="noreferrer" target="_blank"' : ''}`;
      return `<a href="${href}"${attrs}>${label}</a>`;
    },
  },
});

/** Renders one doc to HTML. Only the docs listed above are read, never a path from the request. */
export async function renderDoc(slug: DocSlug): Promise<{ title: string; html: string }> {
  const source = await readFile(join(process.cwd(), 'docs', `${slug}.md`), 'utf8');
  return { title: DOCS[slug], html: await markdown.parse(source) };
}
