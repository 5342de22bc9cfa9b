import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { DOCS, isDocSlug, renderDoc } from '@/lib/docs';
import { definePage } from '@/lib/auth/page';

export const dynamic = 'force-dynamic';

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  const { slug } = await params;
  return { title: isDocSlug(slug) ? `${DOCS[slug]} · AKS Demo Control Plane` : 'AKS Demo Control Plane' };
}

/** The repository's docs, rendered in the app: the product links here where it departs from the architecture. */
export default definePage<{ params: Promise<{ slug: string }> }>('Reader', async ({ props }) => {
  const { slug } = await props.params;
  if (!isDocSlug(slug)) notFound();
  const doc = await renderDoc(slug);
  return (
    <article
      className="doc mx-auto max-w-4xl rounded-lg border border-slate-200 bg-white p-6 text-sm leading-relaxed"
      // The HTML comes from the repository's own docs/ files, rendered on the server; no user input reaches it.
      dangerouslySetInnerHTML={{ __html: doc.html }}
    />
  );
});
