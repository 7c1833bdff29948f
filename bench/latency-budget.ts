/** One server's figures in a run: mean latency it adds over the API, and CPU, per call (µs). */
export interface LoadPoint {
  addedUs: number;
  cpuUs: number;
}

export interface LatencyBudget {
  /** µs of added latency per µs of CPU per call, on the line through both points. */
  slope: number;
  /** The added latency the line gives a server of this CPU per call. */
  addedAt(cpuUs: number): number;
  /** The CPU per call at which the line reaches `ratio` times the yardstick's added latency. */
  budgetUs: number;
}

/**
 * At a few closed-loop clients a saturated server's added latency grows on a line with its
 * CPU per call: the clients' calls queue behind each other. The line through the yardstick
 * and a server turns a latency target (at most `ratio` times the yardstick's added latency)
 * into a CPU budget per call. `undefined` when the two points do not make a rising line.
 */
export function fitLatencyBudget(
  yardstick: LoadPoint,
  server: LoadPoint,
  ratio: number,
): LatencyBudget | undefined {
  const slope = (server.addedUs - yardstick.addedUs) / (server.cpuUs - yardstick.cpuUs);
  if (!Number.isFinite(slope) || slope <= 0) return undefined;
  return {
    slope,
    addedAt: (cpuUs) => yardstick.addedUs + slope * (cpuUs - yardstick.cpuUs),
    budgetUs: yardstick.cpuUs + ((ratio - 1) * yardstick.addedUs) / slope,
  };
}
