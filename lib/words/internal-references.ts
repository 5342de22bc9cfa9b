/**
 * What a user must never read: references to documents, erratum codes, issue
 * numbers and source files that only the people who built the product know.
 * Shared by the source scan (Vitest) and the page crawl (Playwright).
 * Public references stay allowed: Azure's documents, and Azure's own GitHub
 * issues written as `Azure/AKS#5356`.
 */
/**
 * The internal documents' names, spelled in pieces so that this file, which
 * must describe them, is not itself a text that names them.
 */
const ERRATA = ['ERR', 'ATA'].join('');
const NOTES = ['DES' + 'IGN', 'STA' + 'CK', 'STY' + 'LE'].join('|');
const INTERNAL_DOCUMENT = new RegExp(`SEED-${ERRATA}|\\b${ERRATA}\\b|\\b(?:${NOTES})\\.md\\b|(?<![\\w/.-])spec\\/|architecture-v\\d`);

export const INTERNAL_REFERENCES: { name: string; pattern: RegExp }[] = [
  { name: 'internal document', pattern: INTERNAL_DOCUMENT },
  { name: 'erratum code', pattern: /(?<![\w-])E\d{1,2}(?![\w])/ },
  { name: 'issue number', pattern: /\bissues? #?\d+\b|(?<![\w/])#\d{1,4}\)/i },
  { name: 'source file path', pattern: /\b(?:lib|app|components|scripts|prisma|e2e)\/[\w\-/.[\]]+\.(?:tsx?|mjs|js)\b/ },
  { name: 'section sign', pattern: /§/ },
  { name: 'architecture reference', pattern: /(?<![\w-])C\d{1,2}(?![\w])/ },
  { name: 'ADR reference', pattern: /(?<![\w-])ADR-\d{1,3}(?![\w])/ },
];

/** Every internal reference in a text, with the rule it breaks and some context. */
export function findInternalReferences(text: string): { rule: string; match: string; context: string }[] {
  const out: { rule: string; match: string; context: string }[] = [];
  for (const { name, pattern } of INTERNAL_REFERENCES) {
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    for (const m of text.matchAll(global)) {
      const at = m.index ?? 0;
      out.push({ rule: name, match: m[0], context: text.slice(Math.max(0, at - 40), at + m[0].length + 40).replace(/\s+/g, ' ') });
    }
  }
  return out;
}
