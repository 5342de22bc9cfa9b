import { defineRoute } from '@/lib/actions/safe-route';
import { auditFilter, exportAuditCsv } from '@/lib/audit';

/** GET /audit/export?…filters: the filtered audit trail as CSV (Reader and up). */
export const GET = defineRoute({
  name: 'audit.export',
  access: 'Reader',
  handler: async (req) => {
    const parsed = auditFilter.omit({ cursor: true, limit: true }).safeParse(Object.fromEntries(req.nextUrl.searchParams));
    if (!parsed.success) return Response.json({ error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }, { status: 400 });
    const chunks = exportAuditCsv(parsed.data);
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(new TextEncoder().encode(next.value));
      },
    });
    return new Response(body, {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`,
        'Cache-Control': 'no-store',
      },
    });
  },
});
