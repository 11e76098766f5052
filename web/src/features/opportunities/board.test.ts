// SPDX-License-Identifier: MIT
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../lib/api/client';
import type { Opportunity, Stage } from '../../lib/api/types';
import { findCard, moveCard, moveOpportunity, openStages, parseStages, rollbackCard, type BoardColumns } from './board';

const opp = (id: number, stage: Stage, close = '2025-07-01', version = 1): Opportunity =>
  ({ id, version, stage, name: `Deal ${id}`, account_id: 1, close_date: close, amount: 1000, currency: 'DKK' }) as Opportunity;

function board(): BoardColumns {
  return [
    { stage: 'qualify', cards: [opp(1, 'qualify', '2025-06-10'), opp(2, 'qualify', '2025-06-20')], total: 2 },
    { stage: 'discover', cards: [opp(3, 'discover', '2025-06-15')], total: 5 },
    { stage: 'propose', cards: [], total: 0 },
  ];
}
const ids = (b: BoardColumns) => b.map((c) => `${c.stage}:${c.cards.map((o) => o.id).join(',')}/${c.total}`);

describe('board state', () => {
  it('moves a card into the target column in close-date order and adjusts counts', () => {
    const next = moveCard(board(), 1, 'discover');
    expect(ids(next)).toEqual(['qualify:2/1', 'discover:1,3/6', 'propose:/0']);
    expect(findCard(next, 1)?.card.stage).toBe('discover');
  });
  it('does not change the input board', () => {
    const b = board();
    moveCard(b, 1, 'propose');
    expect(ids(b)).toEqual(['qualify:1,2/2', 'discover:3/5', 'propose:/0']);
  });
  it('removes a card moved to a stage that has no column (closed)', () => {
    expect(ids(moveCard(board(), 3, 'closed_won'))).toEqual(['qualify:1,2/2', 'discover:/4', 'propose:/0']);
  });
  it('rolls back to the original column and position', () => {
    const moved = moveCard(board(), 1, 'propose');
    const back = rollbackCard(moved, opp(1, 'qualify', '2025-06-10'), 0);
    expect(ids(back)).toEqual(['qualify:1,2/2', 'discover:3/5', 'propose:/0']);
  });
  it('a move to the same stage changes nothing', () => {
    const b = board();
    expect(moveCard(b, 1, 'qualify')).toBe(b);
  });
});

describe('moveOpportunity', () => {
  function harness(patch: (id: number, body: { version: number; stage: Stage }) => Promise<Opportunity>) {
    let state = board();
    const seen: string[][] = [];
    const deps = {
      get: () => state,
      set: (b: BoardColumns) => {
        state = b;
        seen.push(ids(b));
      },
      patch: vi.fn(patch),
      reload: vi.fn(async () => {
        state = board();
      }),
    };
    return { deps, seen, state: () => state };
  }

  it('shows the move at once, sends version and stage, and keeps the server record', async () => {
    const h = harness(async (id, body) => ({ ...opp(id, body.stage, '2025-06-10', body.version + 1) }));
    const result = await moveOpportunity(h.deps, 1, 'propose');
    expect(h.deps.patch).toHaveBeenCalledWith(1, { version: 1, stage: 'propose' });
    expect(h.seen[0]).toEqual(['qualify:2/1', 'discover:3/5', 'propose:1/1']);
    expect(result.kind).toBe('moved');
    expect(findCard(h.state(), 1)?.card.version).toBe(2);
  });

  it('rolls back when the server refuses', async () => {
    const h = harness(async () => {
      throw new ApiError(403, 'forbidden', 'not yours');
    });
    const result = await moveOpportunity(h.deps, 2, 'propose');
    expect(result.kind).toBe('failed');
    expect(ids(h.state())).toEqual(['qualify:1,2/2', 'discover:3/5', 'propose:/0']);
    expect(h.deps.reload).not.toHaveBeenCalled();
  });

  it('reloads the board on 409', async () => {
    const h = harness(async () => {
      throw new ApiError(409, 'conflict', 'stale version');
    });
    const result = await moveOpportunity(h.deps, 1, 'discover');
    expect(result.kind).toBe('conflict');
    expect(h.deps.reload).toHaveBeenCalledTimes(1);
    expect(ids(h.state())).toEqual(['qualify:1,2/2', 'discover:3/5', 'propose:/0']);
  });

  it('does nothing for an unknown card or the same stage', async () => {
    const h = harness(async () => opp(1, 'qualify'));
    expect((await moveOpportunity(h.deps, 99, 'propose')).kind).toBe('unchanged');
    expect((await moveOpportunity(h.deps, 1, 'qualify')).kind).toBe('unchanged');
    expect(h.deps.patch).not.toHaveBeenCalled();
  });
});

describe('stages', () => {
  it('reads the shapes the stages route may have', () => {
    expect(openStages(parseStages({ items: [{ stage: 'qualify', probability: 0.1 }, { stage: 'closed_won', probability: 1 }] }))).toEqual(['qualify']);
    expect(parseStages(['qualify', 'closed_lost'])).toEqual([
      { stage: 'qualify', probability: null, closed: false },
      { stage: 'closed_lost', probability: null, closed: true },
    ]);
    expect(parseStages({ stages: [{ name: 'propose', default_probability: 40 }] })).toEqual([{ stage: 'propose', probability: 0.4, closed: false }]);
    expect(parseStages([{ stage: 'commit', outcome: 'open' }])[0].closed).toBe(false);
    // What salesbox serve sends: [{name, probability, open}].
    expect(openStages(parseStages([{ name: 'qualify', probability: 0.1, open: true }, { name: 'closed_won', probability: 1, open: false }]))).toEqual(['qualify']);
  });
  it('falls back to the default open stages', () => {
    expect(openStages([])).toEqual(['qualify', 'discover', 'propose', 'negotiate', 'commit']);
  });
});
