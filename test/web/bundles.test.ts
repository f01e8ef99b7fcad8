import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

/** What `npm run build` put in each bundle (tools/build-web.mjs writes it beside dist/web). */
interface Bundle {
  readonly files: readonly string[];
  readonly gzipped: number;
  readonly budget: number;
  readonly inputs: readonly string[];
}
const bundles = JSON.parse(readFileSync(new URL('../../web-bundles.json', import.meta.url), 'utf8')) as Record<
  'pages' | 'analysis' | 'worker',
  Bundle
>;

describe('the web bundles (issue 30)', () => {
  it('every page (the play page) carries neither the engine nor the analysis pages', () => {
    const engine = bundles.pages.inputs.filter((input) => input.startsWith('src/game/engine/'));
    assert.deepEqual(engine, [], 'no engine module in the script every page loads');
    const analysis = bundles.pages.inputs.filter(
      (input) => input.startsWith('src/web/analysis/') && input.endsWith('.ts'),
    );
    assert.deepEqual(
      analysis,
      ['src/web/analysis/load-analysis.ts', 'src/web/analysis/routes.ts'],
      'only the route and the loader of the analysis pages',
    );
    assert.ok(!bundles.pages.inputs.includes('src/game/pdn-read.ts'), 'the PDN reader loads with the analysis board');
    assert.ok(bundles.pages.inputs.includes('src/web/play/play-page.ts'));
  });

  it('the engine worker is a bundle of its own with the search and both rule sets, imported by no page', () => {
    for (const input of [
      'src/game/engine/search.ts',
      'src/game/engine/analysis.ts',
      'src/game/standard.ts',
      'src/game/v1.ts',
    ]) {
      assert.ok(bundles.worker.inputs.includes(input), input);
    }
    assert.ok(
      !bundles.worker.inputs.some((input) => input.startsWith('src/web/') && !input.startsWith('src/web/analysis/')),
    );
    assert.ok(![...bundles.pages.files, ...bundles.analysis.files].some((file) => bundles.worker.files.includes(file)));
    assert.ok(bundles.analysis.inputs.includes('src/web/analysis/analysis-page.ts'));
    assert.ok(bundles.analysis.inputs.includes('src/game/pdn-read.ts'));
  });

  it('each bundle is within the budget the build printed', () => {
    for (const [name, bundle] of Object.entries(bundles)) {
      assert.ok(
        bundle.gzipped > 0 && bundle.gzipped <= bundle.budget,
        `${name}: ${bundle.gzipped} of ${bundle.budget}`,
      );
    }
  });
});
