import 'server-only';
import { AppError } from '../errors';
import { retailItemSchema, retailPageSchema, type RetailItem } from '../domain/retail-prices';

/** At most this many pages of 100 items are followed per query; a hosting query answers with one or two. */
const MAX_PAGES = 5;
/** An answer larger than this is refused rather than parsed. */
const MAX_BYTES = 2 * 1024 * 1024;

/**
 * The Azure Retail Prices API (public, no credential): every item the filter matches, across
 * its pages. A next page is followed only on the API's own origin. Items in another shape
 * than a price meter are left out rather than guessed at.
 */
export async function readRetailPrices(baseUrl: string, filter: string, timeoutMs: number): Promise<RetailItem[]> {
  const origin = new URL(baseUrl).origin;
  let url: string | null = `${baseUrl}?${new URLSearchParams({ 'api-version': '2023-01-01-preview', $filter: filter })}`;
  const items: RetailItem[] = [];
  for (let page = 0; url && page < MAX_PAGES; page++) {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    const text = await res.text();
    if (!res.ok) throw new AppError('upstream', `The Azure Retail Prices API answered ${res.status}: ${text.slice(0, 200)}`, 'RetailPricesFailed');
    if (text.length > MAX_BYTES) throw new AppError('upstream', `The Azure Retail Prices API answered ${text.length} bytes, more than ${MAX_BYTES}.`, 'RetailPricesTooLarge');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AppError('upstream', 'The Azure Retail Prices API answered something that is not JSON.', 'RetailPricesShape');
    }
    const body = retailPageSchema.safeParse(json);
    if (!body.success) throw new AppError('upstream', 'The Azure Retail Prices API answered in an unknown shape (no Items list).', 'RetailPricesShape');
    for (const raw of body.data.Items) {
      const item = retailItemSchema.safeParse(raw);
      if (item.success) items.push(item.data);
    }
    const next = body.data.NextPageLink;
    url = next && new URL(next).origin === origin ? next : null;
  }
  return items;
}
