import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outsideReferences, repositoryFiles } from './outside-reads';

const ROOT = resolve(__dirname, '..');
/** The sibling folder a clone does not have, spelled in pieces so that this fixture is not itself such a reference. */
const SIBLING = 'sha' + 'red';

describe('the repository stands alone', () => {
  it('no file reads or names a path outside the repository', () => {
    const files = repositoryFiles(ROOT);
    // The walk really covers the sources (a broken walk would pass vacuously).
    expect(files).toContain(join('lib', 'twin', 'server.ts'));
    expect(files).toContain(join('infra', 'addons', 'lib', 'common.sh'));
    expect(outsideReferences(ROOT, files)).toEqual([]);
  });

  it('the scan finds what a clone would miss', () => {
    const root = mkdtempSync(join(tmpdir(), 'stands-alone-'));
    mkdirSync(join(root, 'lib', 'twin'), { recursive: true });
    const file = (rel: string, text: string) => writeFileSync(join(root, rel), text);
    // Built, not written out, so that this file does not itself contain the paths it plants.
    const up = (n: number) => Array(n).fill('..').join('/');
    const work = ['', 'work', SIBLING].join('/');
    // What the shape tests once did: read examples kept beside the repository.
    file('lib/twin/a.test.ts', `const examples = join(__dirname, '${up(3)}/${SIBLING}/azure-examples');\n`);
    file('lib/twin/b.ts', `const up = join(__dirname, ${Array(3).fill("'..'").join(', ')}, 'notes.md');\n`);
    file('lib/twin/c.ts', `const cwd = resolve('${up(1)}/elsewhere');\n`);
    file('lib/twin/d.sh', `source "$(dirname "$0")/${up(3)}/outside.sh"\n`);
    file('lib/twin/e.ts', `readFileSync('${work}/notes.md');\n`);
    file('lib/twin/f.md', `See [the notes](${up(3)}/${SIBLING}/notes.md).\n`);
    // Inside the repository: not reported.
    file('lib/twin/ok.ts', "import { x } from '../y';\nconst root = join(__dirname, '..', '..');\nconst d = resolve('lib/twin');\n");
    file('lib/twin/ok.sh', 'source "$(dirname "$0")/../lib/common.sh"\n');
    const found = outsideReferences(root).map((r) => r.file.replaceAll('\\', '/'));
    expect(found.sort()).toEqual(['lib/twin/a.test.ts', 'lib/twin/b.ts', 'lib/twin/c.ts', 'lib/twin/d.sh', 'lib/twin/e.ts', 'lib/twin/f.md']);
  });
});
