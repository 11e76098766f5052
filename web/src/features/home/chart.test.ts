// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { stageChartData } from './chart';

describe('pipeline chart data', () => {
  it('orders stages and makes one series per currency', () => {
    const data = stageChartData({
      open_count: 3,
      value: [],
      by_stage: [
        { stage: 'propose', count: 1, value: [{ currency: 'SEK', amount: 300 }] },
        { stage: 'qualify', count: 2, value: [{ currency: 'DKK', amount: 100 }, { currency: 'SEK', amount: 50 }] },
      ],
    });
    expect(data.stages).toEqual(['qualify', 'propose']);
    expect(data.counts).toEqual([2, 1]);
    expect(data.series).toEqual([
      { currency: 'DKK', values: [100, 0] },
      { currency: 'SEK', values: [50, 300] },
    ]);
  });
});
