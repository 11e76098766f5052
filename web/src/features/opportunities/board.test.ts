// SPDX-License-Identifier: MIT
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../lib/api/client';
import type { Opportunity, Stage } from '../../lib/api/types';
import {
  addPage,
  findCard,
  hasMore,
  moveCard,
  moveOpportunity,
  nextOffset,
  openStages,
  parseStages,
  rollbackCard,
  shiftTotals,
  type BoardColumns,
  type Column,
} from './board';

const opp = (id: number, stage: Stage, close = '2025-07-01', version = 1): Opportunity =>
  ({ id, version, stage, name: `Deal ${id}`, account_id: 1, close_date: close, amount: 1000, amount_minor: 100000, currency: 'DKK' }) as Opportunity;
const dkk = (major: number) => ({ currency: 'DKK', amount: major, amount_minor: major * 100 });

function board(): BoardColumns {
  return [
    {
      stage: 'qualify',
      cards: [opp(1, 'qualify', '2025-06-10'), opp(2, 'qualify', '2025-06-20')],
      total: 2,
      totals: [dkk(2000)],
      through: { close: '2025-06-20', id: 2 },
    },
    { stage: 'discover', cards: [opp(3, 'discover', '2025-06-15')], total: 5, totals: [dkk(5000)], through: { close: '2025-06-15', id: 3 } },
    { stage: 'propose', cards: [], total: 0, totals: [], through: null },
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
  it('moves the card’s amount between the columns’ totals', () => {
    const next = moveCard(board(), 1, 'propose');
    expect(next.map((c) => c.totals)).toEqual([[dkk(1000)], [dkk(5000)], [dkk(1000)]]);
    // The last DKK card out: no "0 kr." left behind.
    expect(moveCard(next, 2, 'propose')[0].totals).toEqual([]);
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

describe('column pages', () => {
  const column = (): Column => ({ stage: 'qualify', cards: [], total: 0, totals: [], through: null });
  const page = (...ids: [number, string][]) => ids.map(([id, close]) => opp(id, 'qualify', close));

  it('reads the next page at the count of cards up to the last one read', () => {
    let col = addPage(column(), page([1, '2025-06-01'], [2, '2025-06-02']), 5, [dkk(5000)]);
    expect(nextOffset(col)).toBe(2);
    expect(hasMore(col)).toBe(true);
    expect(col.totals).toEqual([dkk(5000)]);
    col = addPage(col, page([3, '2025-06-03'], [4, '2025-06-04']), 5);
    expect(col.cards.map((o) => o.id)).toEqual([1, 2, 3, 4]);
    expect(nextOffset(col)).toBe(4);
    expect(col.totals).toEqual([dkk(5000)]);
  });

  it('keeps the offset right after cards move in and out', () => {
    let b: BoardColumns = [
      addPage(column(), page([1, '2025-06-01'], [2, '2025-06-02']), 4),
      { ...column(), stage: 'discover', cards: [opp(9, 'discover', '2025-12-31')], total: 1, through: { close: '2025-12-31', id: 9 } },
    ];
    // A card from another column whose close date is past the last card read: shown, but not
    // counted in the offset (the server has it after the cards not yet read).
    b = moveCard(b, 9, 'qualify');
    expect(b[0].cards.map((o) => o.id)).toEqual([1, 2, 9]);
    expect(b[0].total).toBe(5);
    expect(nextOffset(b[0])).toBe(2);
    // A card read moves out: the server's later cards shift up by one.
    b = moveCard(b, 1, 'discover');
    expect(nextOffset(b[0])).toBe(1);
    // The server's next page (its positions 1..) brings the moved-in card again: one copy.
    const col = addPage(b[0], [opp(3, 'qualify', '2025-06-03'), opp(4, 'qualify', '2025-07-01'), opp(9, 'qualify', '2025-12-31')], 4);
    expect(col.cards.map((o) => o.id)).toEqual([2, 3, 4, 9]);
    expect(hasMore(col)).toBe(false);
  });

  it('an empty page ends the column', () => {
    const col = addPage(addPage(column(), page([1, '2025-06-01']), 3), [], 3);
    expect(hasMore(col)).toBe(false);
    expect(col.total).toBe(1);
  });
});

describe('shiftTotals', () => {
  const card = (amount_minor: number | null, currency: string) => ({ ...opp(1, 'qualify'), amount_minor, currency }) as Opportunity;
  it('adds a currency in code order and keeps minor units exact', () => {
    const totals = [dkk(10), { currency: 'SEK', amount: 1, amount_minor: 100 }];
    expect(shiftTotals(totals, card(12345, 'NOK'), 1).map((v) => `${v.currency}:${v.amount_minor}:${v.amount}`)).toEqual([
      'DKK:1000:10',
      'NOK:12345:123.45',
      'SEK:100:1',
    ]);
  });
  it('leaves the totals alone for a card without an amount', () => {
    const totals = [dkk(10)];
    expect(shiftTotals(totals, card(null, 'DKK'), -1)).toBe(totals);
  });
  it('knows currencies without minor units', () => {
    expect(shiftTotals([], card(500, 'JPY'), 1)).toEqual([{ currency: 'JPY', amount: 500, amount_minor: 500 }]);
  });
});
