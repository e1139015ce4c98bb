// The request path's per-process state lives in deps.caches, one object per
// createDeps: visible, separate between deps, and cleared by reset().
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ProcessCaches } from '../../src/service/caches.ts';

describe('ProcessCaches', () => {
  it('reset() empties every cache and cursor', () => {
    const c = new ProcessCaches();
    c.accessKeys.set('AK', { key: undefined, until: 1 });
    c.nextDue.ms = 123;
    c.nonceSweepCursor = 7;
    c.reset();
    assert.equal(c.accessKeys.size, 0);
    assert.equal(c.nextDue.ms, 0);
    assert.equal(c.nonceSweepCursor, undefined);
  });

  it('two instances share nothing', () => {
    const a = new ProcessCaches();
    const b = new ProcessCaches();
    a.accessKeys.set('AK', { key: undefined, until: 1 });
    a.nextDue.ms = 5;
    assert.equal(b.accessKeys.size, 0);
    assert.equal(b.nextDue.ms, 0);
  });
});
