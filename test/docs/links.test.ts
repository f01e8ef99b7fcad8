import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
const DOCUMENTS = [
  'README.md',
  ...readdirSync(join(REPOSITORY, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, '')
    .replace(/ /g, '-');
}

/** The text outside fenced code blocks, where links and headings count. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '');
}

function anchorsOf(markdown: string): Set<string> {
  const text = prose(markdown);
  const anchors = new Set<string>();
  for (const [, heading = ''] of text.matchAll(/^#+\s+(.*)$/gm)) anchors.add(headingAnchor(heading));
  for (const [, id = ''] of text.matchAll(/<a id="([^"]+)">/g)) anchors.add(id);
  return anchors;
}

describe('the documentation', () => {
  it('computes anchors as GitHub does', () => {
    assert.equal(headingAnchor('TLS: encrypted connections'), 'tls-encrypted-connections');
    assert.equal(
      headingAnchor('Behind a load balancer: the PROXY protocol'),
      'behind-a-load-balancer-the-proxy-protocol',
    );
    assert.equal(headingAnchor('Engine: version 1, tuning and refinements'), 'engine-version-1-tuning-and-refinements');
  });

  for (const document of DOCUMENTS) {
    it(`${document}: every relative link names a file that exists, and an anchor it holds`, () => {
      const text = prose(readFileSync(join(REPOSITORY, document), 'utf8'));
      const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '');
      const broken: string[] = [];
      for (const link of links) {
        if (/^[a-z]+:/.test(link)) continue;
        const [path = '', anchor] = link.split('#');
        const target = path === '' ? join(REPOSITORY, document) : join(REPOSITORY, dirname(document), path);
        if (!existsSync(target)) {
          broken.push(`${link}: no file ${relative(REPOSITORY, target)}`);
          continue;
        }
        if (anchor !== undefined && target.endsWith('.md') && !anchorsOf(readFileSync(target, 'utf8')).has(anchor)) {
          broken.push(`${link}: no heading #${anchor} in ${relative(REPOSITORY, target)}`);
        }
      }
      assert.deepEqual(broken, []);
    });
  }

  it('has an index in the README that names every document in docs/', () => {
    const readme = readFileSync(join(REPOSITORY, 'README.md'), 'utf8');
    const unlisted = DOCUMENTS.filter((document) => document !== 'README.md' && !readme.includes(`](${document})`));
    assert.deepEqual(unlisted, []);
  });

  it('keeps the README a short front page', () => {
    const lines = readFileSync(join(REPOSITORY, 'README.md'), 'utf8').split('\n').length;
    assert.ok(lines < 250, `README.md has ${lines} lines; put the detail in docs/`);
  });
});
