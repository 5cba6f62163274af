// LossyAreas: which parts of a viewer's display show JPEG pixels and when they are due for
// their lossless refresh.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LossyAreas } from '../../src-main/display/gateway/lossy-areas';

const area = (rects: { width: number; height: number }[]): number => rects.reduce((n, r) => n + r.width * r.height, 0);

describe('LossyAreas', () => {
  it('is due only once the area has been still for the delay; a new JPEG there restarts the wait', () => {
    const l = new LossyAreas();
    l.add({ x: 0, y: 0, width: 100, height: 100 }, 1_000);
    assert.equal(l.nextDue(400), 1_400);
    l.add({ x: 50, y: 50, width: 100, height: 100 }, 1_300); // overlaps: merged, newer time
    assert.deepEqual(l.takeDue(1_500, 400), []);
    assert.deepEqual(l.takeDue(1_700, 400), [{ x: 0, y: 0, width: 150, height: 150 }]);
    assert.ok(l.empty);
  });

  it('forgets what lossless drawing covers, keeping only the uncovered bands', () => {
    const l = new LossyAreas();
    l.add({ x: 0, y: 0, width: 100, height: 100 }, 0);
    l.drawnLosslessly({ x: 0, y: 0, width: 100, height: 60 });
    l.drawnLosslessly({ x: 0, y: 60, width: 50, height: 40 });
    const left = l.takeDue(1_000, 400);
    assert.deepEqual(left, [{ x: 50, y: 60, width: 50, height: 40 }]);
    l.add({ x: 10, y: 10, width: 10, height: 10 }, 0);
    l.drawnLosslessly({ x: 0, y: 0, width: 640, height: 480 });
    assert.ok(l.empty);
    assert.equal(area(left), 2_000);
  });

  it('a copy from a lossy area makes its destination lossy; a copy from exact pixels makes it exact', () => {
    const l = new LossyAreas();
    l.add({ x: 0, y: 0, width: 64, height: 64 }, 0);
    l.copied({ x: 0, y: 0, width: 64, height: 64 }, { x: 200, y: 0, width: 64, height: 64 }, 10);
    l.copied({ x: 400, y: 400, width: 64, height: 64 }, { x: 0, y: 0, width: 64, height: 64 }, 20);
    assert.deepEqual(l.takeDue(1_000, 400), [{ x: 200, y: 0, width: 64, height: 64 }]);
  });
});
