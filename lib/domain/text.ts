import { DateTime } from 'luxon';
import { z } from 'zod';

/**
 * What a person may type into a name or a filter: printable text. Control
 * characters (a NUL turned a page into a binary response) and the Unicode
 * bidirectional overrides and isolates (which make a name read differently
 * from what it is) are refused, with a message that says which.
 */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
const LINE_BREAK = /[\n\r\t\u2028\u2029]/u;

export function printableProblem(value: string, { multiline = false } = {}): string | undefined {
  if (CONTROL.test(value)) return 'contains a control character';
  if (BIDI.test(value)) return 'contains a bidirectional-override character';
  if (!multiline && LINE_BREAK.test(value)) return 'must be on one line';
  return undefined;
}

/** Adds the printable-text check to a string schema. */
export function printable<S extends z.ZodString>(schema: S): S {
  return schema.superRefine((v, ctx) => {
    const problem = printableProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }) as S;
}

/** A single-line printable string of at most `max` characters. */
export function printableText(max: number) {
  return printable(z.string().max(max));
}

/** A calendar date `YYYY-MM-DD` that exists (no 2026-02-30). */
export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((v) => DateTime.fromISO(v, { zone: 'utc' }).isValid, 'not a date on the calendar');

/**
 * A point in time from a form or a URL: `YYYY-MM-DD`, `YYYY-MM-DDTHH:mm` (a
 * datetime-local input, read as UTC) or a full ISO time with an offset. Four-
 * digit years only: a year past 9999 is refused, not compared as text.
 */
export const isoInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/, 'a date and time such as 2026-11-29T09:30')
  .transform((v, ctx) => {
    const t = DateTime.fromISO(v, { zone: 'utc' });
    if (!t.isValid) {
      ctx.addIssue({ code: 'custom', message: 'not a real date and time' });
      return z.NEVER;
    }
    return t.toJSDate();
  });
