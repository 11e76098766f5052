// SPDX-License-Identifier: MIT
// The stage board's state and its moves, free of the UI so they can be tested: columns of cards
// per open stage, an optimistic move, and the rollback when the server says no.
import { isApiError } from '../../lib/api/client';
import { STAGES, type Opportunity, type Stage, type StageInfo } from '../../lib/api/types';

export interface Column {
  stage: Stage;
  cards: Opportunity[];
  /** How many the server has in this stage (more than `cards` when a column is cut off). */
  total: number;
}
export type BoardColumns = Column[];

const CLOSED = new Set(['closed_won', 'closed_lost']);

/**
 * Reads `GET /api/v1/stages`, whose exact shape docs/api.md leaves open: an array or
 * `{items|stages: [...]}` of stage names or objects with `stage`/`name`/`id`,
 * `probability`/`default_probability` and `open`/`closed`/`outcome`.
 */
export function parseStages(raw: unknown): StageInfo[] {
  let list: unknown = raw;
  if (list && typeof list === 'object' && !Array.isArray(list)) {
    const o = list as Record<string, unknown>;
    list = o.items ?? o.stages ?? o.data ?? [];
  }
  if (!Array.isArray(list)) return [];
  const out: StageInfo[] = [];
  for (const item of list) {
    let name: unknown;
    let probability: unknown = null;
    let closed: unknown;
    if (typeof item === 'string') name = item;
    else if (item && typeof item === 'object') {
      const o = item as Record<string, unknown>;
      name = o.stage ?? o.name ?? o.id;
      probability = o.probability ?? o.default_probability ?? null;
      closed = o.closed ?? o.is_closed ?? (typeof o.open === 'boolean' ? !o.open : undefined);
      if (closed === undefined && typeof o.outcome === 'string') closed = o.outcome !== 'open';
    }
    if (typeof name !== 'string' || !name) continue;
    let p = typeof probability === 'number' ? probability : probability === null ? null : Number(probability);
    if (p !== null && Number.isNaN(p)) p = null;
    if (p !== null && p > 1) p = p / 100;
    out.push({ stage: name as Stage, probability: p, closed: typeof closed === 'boolean' ? closed : CLOSED.has(name) });
  }
  return out;
}

/** The board's columns: the open stages in the server's order (the default ones if it sent none). */
export function openStages(stages: StageInfo[]): Stage[] {
  const open = stages.filter((s) => !s.closed).map((s) => s.stage);
  return open.length ? open : STAGES.filter((s) => !CLOSED.has(s));
}

function byCloseDate(a: Opportunity, b: Opportunity): number {
  const x = a.close_date ?? '9999-12-31';
  const y = b.close_date ?? '9999-12-31';
  return x < y ? -1 : x > y ? 1 : a.id - b.id;
}

export function findCard(board: BoardColumns, id: number): { column: number; index: number; card: Opportunity } | null {
  for (let c = 0; c < board.length; c++) {
    const index = board[c].cards.findIndex((o) => o.id === id);
    if (index >= 0) return { column: c, index, card: board[c].cards[index] };
  }
  return null;
}

/** A new board with the card taken out (if there) and put into `card.stage`'s column, if shown. */
export function placeCard(board: BoardColumns, card: Opportunity, at?: number): BoardColumns {
  const found = findCard(board, card.id);
  return board.map((col, c) => {
    let cards = col.cards;
    let total = col.total;
    if (found && found.column === c) {
      cards = cards.filter((o) => o.id !== card.id);
      total = Math.max(0, total - 1);
    }
    if (col.stage === card.stage) {
      cards = [...cards];
      if (at !== undefined) cards.splice(Math.min(at, cards.length), 0, card);
      else {
        const i = cards.findIndex((o) => byCloseDate(card, o) < 0);
        cards.splice(i < 0 ? cards.length : i, 0, card);
      }
      total += 1;
    }
    return { ...col, cards, total };
  });
}

/** The optimistic move: the card shows in the target stage at once. */
export function moveCard(board: BoardColumns, id: number, to: Stage): BoardColumns {
  const found = findCard(board, id);
  if (!found || found.card.stage === to) return board;
  return placeCard(board, { ...found.card, stage: to });
}

/** Puts the card back where it was before the move (column and position). */
export function rollbackCard(board: BoardColumns, original: Opportunity, index: number): BoardColumns {
  return placeCard(board, original, index);
}

export type MoveResult =
  | { kind: 'unchanged' }
  | { kind: 'moved'; card: Opportunity }
  | { kind: 'conflict'; card: Opportunity }
  | { kind: 'failed'; card: Opportunity; error: unknown };

export interface MoveDeps {
  get: () => BoardColumns;
  set: (board: BoardColumns) => void;
  patch: (id: number, body: { version: number; stage: Stage }) => Promise<Opportunity>;
  /** Reloads the board from the server (after a 409). */
  reload: () => Promise<void>;
}

/**
 * Moves card `id` to `to`: shows it there at once, sends `PATCH {version, stage}`, then keeps the
 * server's record (new version). On 409 the board is reloaded; on any other error the card goes
 * back where it was.
 */
export async function moveOpportunity(deps: MoveDeps, id: number, to: Stage): Promise<MoveResult> {
  const found = findCard(deps.get(), id);
  if (!found || found.card.stage === to) return { kind: 'unchanged' };
  const original = found.card;
  deps.set(moveCard(deps.get(), id, to));
  try {
    const updated = await deps.patch(id, { version: original.version, stage: to });
    // Keep fields the server does not send (e.g. a looked-up account name).
    const merged = { ...original, ...updated };
    const now = findCard(deps.get(), id);
    if (now) deps.set(placeCard(deps.get(), merged, now.index));
    return { kind: 'moved', card: merged };
  } catch (error) {
    if (isApiError(error) && error.status === 409) {
      await deps.reload();
      return { kind: 'conflict', card: original };
    }
    deps.set(rollbackCard(deps.get(), original, found.index));
    return { kind: 'failed', card: original, error };
  }
}
