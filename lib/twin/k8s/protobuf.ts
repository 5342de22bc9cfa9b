import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { K8sError } from './types';

/**
 * kubectl sends built-in kinds it creates (here a SelfSubjectAccessReview) as
 * Kubernetes protobuf: the magic `k8s\0`, then a runtime.Unknown whose field 2
 * holds the object (k8s.io/apimachinery runtime/generated.proto). The twin
 * reads the few message fields it needs, by their numbers in
 * k8s.io/api/authorization/v1/generated.proto.
 */
const MAGIC = [0x6b, 0x38, 0x73, 0x00];

type Fields = Map<number, Uint8Array[]>;

function fields(buf: Uint8Array): Fields {
  const r = new BinaryReader(buf);
  const out: Fields = new Map();
  while (r.pos < r.len) {
    const [no, type] = r.tag();
    if (type === WireType.LengthDelimited) out.set(no, [...(out.get(no) ?? []), r.bytes()]);
    else r.skip(type, no);
  }
  return out;
}

const text = (f: Fields, no: number) => {
  const b = f.get(no)?.[0];
  return b === undefined ? undefined : new TextDecoder().decode(b);
};

function strings(f: Fields, names: Record<number, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [no, name] of Object.entries(names)) {
    const v = text(f, Number(no));
    if (v) out[name] = v;
  }
  return out;
}

/** The spec of a SelfSubjectAccessReview sent as protobuf, in its JSON form. */
export function selfSubjectAccessReviewSpec(body: Uint8Array): Record<string, unknown> {
  if (body.length < 4 || MAGIC.some((b, i) => body[i] !== b)) {
    throw new K8sError(400, 'BadRequest', 'the protobuf body does not start with the Kubernetes envelope');
  }
  try {
    const unknown = fields(body.subarray(4));
    const raw = unknown.get(2)?.[0];
    if (!raw) throw new Error('no object');
    const spec = fields(fields(raw).get(2)?.[0] ?? new Uint8Array());
    const resource = spec.get(1)?.[0];
    const nonResource = spec.get(2)?.[0];
    return {
      ...(resource ? { resourceAttributes: strings(fields(resource), { 1: 'namespace', 2: 'verb', 3: 'group', 4: 'version', 5: 'resource', 6: 'subresource', 7: 'name' }) } : {}),
      ...(nonResource ? { nonResourceAttributes: strings(fields(nonResource), { 1: 'path', 2: 'verb' }) } : {}),
    };
  } catch (err) {
    if (err instanceof K8sError) throw err;
    throw new K8sError(400, 'BadRequest', `the protobuf body could not be decoded: ${err instanceof Error ? err.message : String(err)}`);
  }
}
