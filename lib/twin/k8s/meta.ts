import { K8sError, type K8sObject, type LabelSelector, type Taint, type Toleration } from './types';

/** Label selectors (the query-string syntax and the object form), field selectors, quantities and patches. */

type Requirement = { key: string; op: '=' | '!=' | 'in' | 'notin' | 'exists' | '!exists'; values: string[] };

export function parseLabelSelector(text: string | null): Requirement[] {
  if (!text) return [];
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p): Requirement => {
      let m = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(p);
      if (m) return { key: m[1], op: m[2] as 'in' | 'notin', values: m[3].split(',').map((v) => v.trim()) };
      m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(p);
      if (m) return { key: m[1], op: m[2] === '!=' ? '!=' : '=', values: [m[3].trim()] };
      if (p.startsWith('!')) return { key: p.slice(1).trim(), op: '!exists', values: [] };
      if (/^[A-Za-z0-9./_-]+$/.test(p)) return { key: p, op: 'exists', values: [] };
      throw new K8sError(400, 'BadRequest', `unable to parse requirement: ${p}`);
    });
}

export function matchesRequirements(labels: Record<string, string> | undefined, reqs: Requirement[]): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case '=':
        return has && l[r.key] === r.values[0];
      case '!=':
        return !has || l[r.key] !== r.values[0];
      case 'in':
        return has && r.values.includes(l[r.key]);
      case 'notin':
        return !has || !r.values.includes(l[r.key]);
      case 'exists':
        return has;
      case '!exists':
        return !has;
    }
  });
}

export function matchesSelector(labels: Record<string, string> | undefined, selector: LabelSelector | undefined): boolean {
  if (!selector) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    if (e.operator === 'In' && !(has && (e.values ?? []).includes(l[e.key]))) return false;
    if (e.operator === 'NotIn' && has && (e.values ?? []).includes(l[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** `status.phase!=Running,spec.nodeName=x`: equality on dotted paths, as the API server's field selectors. */
export function parseFieldSelector(text: string | null): ((o: K8sObject) => boolean) | undefined {
  if (!text) return undefined;
  const reqs = text.split(',').filter(Boolean).map((p) => {
    const m = /^([A-Za-z0-9.]+)\s*(==|=|!=)\s*(.*)$/.exec(p.trim());
    if (!m) throw new K8sError(400, 'BadRequest', `invalid field selector: ${p}`);
    return { path: m[1].split('.'), neg: m[2] === '!=', value: m[3] };
  });
  return (o) =>
    reqs.every((r) => {
      let v: unknown = o;
      for (const k of r.path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
      const s = v === undefined || v === null ? '' : String(v);
      return r.neg ? s !== r.value : s === r.value;
    });
}

const SUFFIX: Record<string, number> = {
  m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4,
};

/** A resource quantity ("1900m", "5Gi", "2") as a number of base units (cores, bytes). */
/** Parsed quantities: the scheduler reads the same few request strings for every pod and node. */
const quantities = new Map<string, number>();

export function quantity(q: string | number | undefined): number {
  if (q === undefined) return 0;
  if (typeof q === 'number') return q;
  const known = quantities.get(q);
  if (known !== undefined) return known;
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(q.trim());
  const value = m ? Number(m[1]) * (m[2] ? (SUFFIX[m[2]] ?? 1) : 1) : 0;
  if (quantities.size < 10_000) quantities.set(q, value);
  return value;
}

export function tolerates(tolerations: Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (!t.key) return t.operator === 'Exists';
    if (t.key !== taint.key) return false;
    return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
  });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** RFC 7386 merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** RFC 6902 JSON patch (add, remove, replace, test; what clients send for these objects). */
export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new K8sError(400, 'BadRequest', 'a JSON patch must be an array of operations');
  const doc = structuredClone(target) as Record<string, unknown>;
  for (const raw of ops as { op: string; path: string; value?: unknown }[]) {
    const path = raw.path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = path.pop();
    if (last === undefined) throw new K8sError(422, 'Invalid', `invalid path ${raw.path}`);
    let parent: unknown = doc;
    for (const key of path) {
      const next = Array.isArray(parent) ? parent[Number(key)] : (parent as Record<string, unknown>)[key];
      if (next === undefined && raw.op === 'add' && isPlainObject(parent)) (parent as Record<string, unknown>)[key] = {};
      parent = Array.isArray(parent) ? parent[Number(key)] : (parent as Record<string, unknown>)[key];
      if (parent === undefined) throw new K8sError(422, 'Invalid', `the path ${raw.path} does not exist`);
    }
    const container = parent as Record<string, unknown> | unknown[];
    if (raw.op === 'test') {
      const current = Array.isArray(container) ? container[Number(last)] : container[last];
      if (JSON.stringify(current) !== JSON.stringify(raw.value)) throw new K8sError(422, 'Invalid', `test operation failed for ${raw.path}`);
    } else if (raw.op === 'remove') {
      if (Array.isArray(container)) container.splice(Number(last), 1);
      else delete container[last];
    } else if (raw.op === 'add' || raw.op === 'replace') {
      if (Array.isArray(container)) {
        if (last === '-') container.push(raw.value);
        else if (raw.op === 'add') container.splice(Number(last), 0, raw.value);
        else container[Number(last)] = raw.value;
      } else container[last] = raw.value;
    } else throw new K8sError(422, 'Invalid', `unsupported JSON patch operation ${raw.op}`);
  }
  return doc;
}

/**
 * Applies a PATCH body by its content type. A strategic merge patch is applied
 * as a merge patch: the fields patched here (spec.unschedulable, replicas,
 * NodePool limits and requirements) have no list merge keys that differ.
 */
export function applyPatch(target: unknown, contentType: string | undefined, body: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new K8sError(400, 'BadRequest', 'the patch body is not valid JSON');
  }
  const type = (contentType ?? '').split(';')[0].trim();
  if (type === 'application/json-patch+json') return jsonPatch(target, parsed);
  if (type === 'application/merge-patch+json' || type === 'application/strategic-merge-patch+json') return mergePatch(target, parsed);
  throw new K8sError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`);
}
