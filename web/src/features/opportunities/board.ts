// SPDX-License-Identifier: MIT
// The stage board's state and its moves, free of the UI so they can be tested: columns of cards
// per open stage, an optimistic move, and the rollback when the server says no.
import { isApiError } from '../../lib/api/client';
import { STAGES, type MoneyValue, type Opportunity, type Stage, type StageInfo } from '../../lib/api/types';

export interface Column {
  stage: Stage;
  /** The cards shown, in the server's order (close date, then id). */
  cards: Opportunity[];
  /** How many the server has in this stage (more than `cards` when a column is cut off). */
  total: number;
  /** The whole column's amounts per currency, in currency-code order, as the server summed them. */
  totals: MoneyValue[];
  /**
   * The last card of the server's pages read so far ({close, id} in its order); null before the
   * first page. Cards up to it mirror the server's, so their count is the next page's offset,
   * even after moves in and out of the column.
   */
  through: SortKey | null;
}
export type BoardColumns = Column[];

export interface SortKey {
  close: string;
  id: number;
}

export function sortKey(o: Pick<Opportunity, 'close_date' | 'id'>): SortKey {
  return { close: o.close_date ?? '9999-12-31', id: o.id };
}

function compareKeys(a: SortKey, b: SortKey): number {
  return a.close < b.close ? -1 : a.close > b.close ? 1 : a.id - b.id;
}

/** The offset of the column's next page: its cards up to `through`. */
export function nextOffset(col: Column): number {
  if (!col.through) return 0;
  const through = col.through;
  return col.cards.filter((o) => compareKeys(sortKey(o), through) <= 0).length;
}

/** True when the server has cards of this column that are not shown. */
export function hasMore(col: Column): boolean {
  return col.cards.length < col.total;
}

/** The column with the server's next page merged in (cards already shown are replaced). */
export function addPage(col: Column, page: Opportunity[], total: number, totals?: MoneyValue[]): Column {
  const fresh = new Map(page.map((o) => [o.id, o]));
  const cards = [...col.cards.filter((o) => !fresh.has(o.id)), ...page].sort((a, b) => compareKeys(sortKey(a), sortKey(b)));
  const last = page.length ? sortKey(page[page.length - 1]) : col.through;
  // An empty page: nothing beyond what is shown (the column shrank meanwhile).
  const through = page.length ? last : { close: '9999-12-31', id: Number.MAX_SAFE_INTEGER };
  return { ...col, cards, total: page.length ? total : cards.length, totals: totals ?? col.totals, through };
}

/** A currency's minor-unit digits (DKK 2, JPY 0, ...). */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** `totals` with `sign` × the card's amount added in its currency; a currency that reaches 0 goes. */
export function shiftTotals(totals: MoneyValue[], card: Opportunity, sign: 1 | -1): MoneyValue[] {
  // amount_minor null: the amount is unknown (it adds nothing, as on the server).
  const minor =
    card.amount_minor !== undefined
      ? card.amount_minor
      : card.amount != null && card.currency
        ? Math.round(card.amount * 10 ** minorDigits(card.currency))
        : null;
  if (!minor || !card.currency) return totals;
  const currency = card.currency;
  const scale = 10 ** minorDigits(currency);
  const out = totals.map((v) => ({ ...v }));
  let entry = out.find((v) => v.currency === currency);
  if (!entry) {
    entry = { currency, amount: 0, amount_minor: 0 };
    out.push(entry);
    out.sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
  }
  entry.amount_minor = (entry.amount_minor ?? Math.round(entry.amount * scale)) + sign * minor;
  entry.amount = entry.amount_minor / scale;
  return out.filter((v) => v.amount_minor !== 0);
}

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

export function findCard(board: BoardColumns, id: number): { column: number; index: number; card: Opportunity } | null {
  for (let c = 0; c < board.length; c++) {
    const index = board[c].cards.findIndex((o) => o.id === id);
    if (index >= 0) return { column: c, index, card: board[c].cards[index] };
  }
  return null;
}

/**
 * A new board with the card taken out (if there) and put into `card.stage`'s column, if shown:
 * counts and totals follow. A card placed after the column's last loaded card shows too; the
 * next page's offset leaves it out (nextOffset) and the page's copy replaces it (addPage).
 */
export function placeCard(board: BoardColumns, card: Opportunity, at?: number): BoardColumns {
  const found = findCard(board, card.id);
  return board.map((col, c) => {
    let cards = col.cards;
    let total = col.total;
    let totals = col.totals;
    if (found && found.column === c) {
      cards = cards.filter((o) => o.id !== card.id);
      total = Math.max(0, total - 1);
      totals = shiftTotals(totals, found.card, -1);
    }
    if (col.stage === card.stage) {
      cards = [...cards];
      if (at !== undefined) cards.splice(Math.min(at, cards.length), 0, card);
      else {
        const i = cards.findIndex((o) => compareKeys(sortKey(card), sortKey(o)) < 0);
        cards.splice(i < 0 ? cards.length : i, 0, card);
      }
      total += 1;
      totals = shiftTotals(totals, card, 1);
    }
    return { ...col, cards, total, totals };
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
  | { kind: 'moved'; card: Opportunity; from: Stage }
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
    return { kind: 'moved', card: merged, from: original.stage };
  } catch (error) {
    if (isApiError(error) && error.status === 409) {
      await deps.reload();
      return { kind: 'conflict', card: original };
    }
    deps.set(rollbackCard(deps.get(), original, found.index));
    return { kind: 'failed', card: original, error };
  }
}
