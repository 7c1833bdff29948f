import { describe, expect, it } from 'vitest';
import { fitLatencyBudget } from './latency-budget';

// Session 12's 8-connection run (docs/performance.md): the yardstick, Latchkey, and the
// guarded forwarder that the line through the first two should predict.
const yardstick = { addedUs: 879, cpuUs: 141 };
const latchkey = { addedUs: 1609, cpuUs: 235 };

function budgetOf(server: { addedUs: number; cpuUs: number }) {
  const budget = fitLatencyBudget(yardstick, server, 1.5);
  if (!budget) throw new Error('no line');
  return budget;
}

describe('fitLatencyBudget', () => {
  it('draws the line through the yardstick and the server', () => {
    const budget = budgetOf(latchkey);
    expect(budget.slope).toBeCloseTo(730 / 94, 6);
    expect(budget.addedAt(141)).toBeCloseTo(879, 6);
    expect(budget.addedAt(235)).toBeCloseTo(1609, 6);
    // The guarded forwarder of that run: 177 µs of CPU, 1,167 µs added.
    expect(budget.addedAt(177)).toBeCloseTo(1158.6, 1);
  });

  it('puts the budget where the line reaches the target', () => {
    const budget = budgetOf(latchkey);
    expect(budget.budgetUs).toBeCloseTo(197.6, 1);
    expect(budget.addedAt(budget.budgetUs)).toBeCloseTo(1.5 * 879, 6);
  });

  it("gives the yardstick's own CPU for a target of the same latency", () => {
    expect(fitLatencyBudget(yardstick, latchkey, 1)?.budgetUs).toBeCloseTo(141, 6);
  });

  it('has no line for points that do not rise', () => {
    expect(fitLatencyBudget(yardstick, yardstick, 1.5)).toBeUndefined();
    expect(fitLatencyBudget(yardstick, { addedUs: 1609, cpuUs: 141 }, 1.5)).toBeUndefined();
    expect(fitLatencyBudget(yardstick, { addedUs: 700, cpuUs: 235 }, 1.5)).toBeUndefined();
  });
});
