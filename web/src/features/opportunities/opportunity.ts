// SPDX-License-Identifier: MIT
// The opportunity edit form: what it edits and the PATCH body for what changed.
import type { Opportunity, Stage } from '../../lib/api/types';

export interface OpportunityForm {
  stage: Stage;
  amount: string;
  probability: string;
  close_date: string;
  next_step: string;
  next_step_date: string;
}

export function opportunityToForm(o: Opportunity): OpportunityForm {
  return {
    stage: o.stage,
    amount: o.amount === null || o.amount === undefined ? '' : String(o.amount),
    probability: o.probability === null || o.probability === undefined ? '' : String(Math.round(o.probability * 100)),
    close_date: o.close_date ?? '',
    next_step: o.next_step ?? '',
    next_step_date: o.next_step_date ?? '',
  };
}

/** "1.234,50" / "1 234.50" / "1234" → 1234.5; null for empty; NaN when unreadable. */
export function parseAmount(text: string): number | null {
  let s = text.trim().replace(/[\s\u00a0\u202f]/g, '').replace(/[^\d.,-]/g, '');
  if (!s) return null;
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  // One kind of separator followed by exactly three digits groups thousands ("1.234", "1,234"):
  // money never has three decimals.
  if ((lastComma < 0) !== (lastDot < 0) && /^-?\d{1,3}([.,]\d{3})+$/.test(s)) return Number(s.replace(/[.,]/g, ''));
  if (lastComma > lastDot) s = s.replace(/\./g, '').replace(',', '.');
  else s = s.replace(/,/g, '');
  return Number(s);
}

export function opportunityPatch(o: Opportunity, form: OpportunityForm): Record<string, unknown> {
  const before = opportunityToForm(o);
  const body: Record<string, unknown> = { version: o.version };
  if (form.stage !== before.stage) body.stage = form.stage;
  if (form.amount.trim() !== before.amount) {
    const amount = parseAmount(form.amount);
    body.amount = amount === null ? 0 : amount;
  }
  if (form.probability.trim() !== before.probability) {
    const p = form.probability.trim();
    body.probability = p === '' ? null : Number(p.replace(',', '.').replace('%', '')) / 100;
  }
  if (form.close_date !== before.close_date) body.close_date = form.close_date || null;
  if (form.next_step.trim() !== before.next_step.trim()) body.next_step = form.next_step.trim();
  if (form.next_step_date !== before.next_step_date) body.next_step_date = form.next_step_date || null;
  return body;
}
