import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileShare {
  name: string;
  /** Share of all samples, 0–1. */
  share: number;
}

/** The area of the time the process waited rather than spent. */
export const IDLE = '(idle)';

/**
 * Frames without a script: the VM's own (`(garbage collector)`, `(program)`, `(idle)`: time
 * the process waited, not spent) and native functions, named (`writev` is the kernel's
 * socket writes, for one).
 */
function vmAreaOf(functionName: string): string {
  return functionName.startsWith('(') ? functionName : `(native) ${functionName}`;
}

/** Where a script's code lives: a package, our source, or Node's own (`node:…`). */
function areaOf(url: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  const ours = /\/packages\/([^/]+)\/src\/(.+)$/.exec(url);
  if (ours) return `@latchkey/${ours[1]}`;
  return url;
}

/**
 * Where a frame of a bundle (the servers run bundled, with a `.map` beside them) was in the
 * sources, so that it counts for its package and line; other frames as they are.
 */
function sourceFrame(frame: CallFrame, maps: Map<string, SourceMap | undefined>): CallFrame {
  if (!frame.url.startsWith('file:')) return frame;
  if (!maps.has(frame.url)) {
    const mapFile = `${fileURLToPath(frame.url)}.map`;
    const payload = existsSync(mapFile) ? JSON.parse(readFileSync(mapFile, 'utf8')) : undefined;
    maps.set(frame.url, payload && new SourceMap(payload));
  }
  const entry = maps.get(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber);
  if (!entry || !('originalSource' in entry)) return frame;
  const url = new URL(entry.originalSource, frame.url).href;
  return { ...frame, url, lineNumber: entry.originalLine, columnNumber: entry.originalColumn };
}

/**
 * Self time of a V8 `.cpuprofile`, by area (package) and by function, plus the inclusive
 * time of frames whose name matches `inclusive` (e.g. the repository functions).
 */
export function summariseProfile(file: string, top = 25, inclusive?: RegExp) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const maps = new Map<string, SourceMap | undefined>();
  for (const node of profile.nodes) node.callFrame = sourceFrame(node.callFrame, maps);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfTime = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...selfTime.values()].reduce((sum, value) => sum + value, 0);
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, time] of selfTime) {
    const frame = (byId.get(id) as ProfileNode).callFrame;
    const area = frame.url === '' ? vmAreaOf(frame.functionName) : areaOf(frame.url);
    const name =
      frame.url === ''
        ? area
        : `${frame.functionName || '(anonymous)'} ${area}:${frame.lineNumber + 1}`;
    areas.set(area, (areas.get(area) ?? 0) + time);
    functions.set(name, (functions.get(name) ?? 0) + time);
  }
  const ranked = (map: Map<string, number>): ProfileShare[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, time]) => ({ name, share: time / total }));
  return {
    /** Microseconds sampled in all, and those not idle. */
    totalUs: total,
    busyUs: total - (areas.get(IDLE) ?? 0),
    areas: ranked(areas),
    functions: ranked(functions),
    inclusive: inclusive ? inclusiveShares(profile, byId, selfTime, total, inclusive) : [],
  };
}

function inclusiveShares(
  profile: CpuProfile,
  byId: Map<number, ProfileNode>,
  selfTime: Map<number, number>,
  total: number,
  pattern: RegExp,
): ProfileShare[] {
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const shares = new Map<string, number>();
  for (const [id, time] of selfTime) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = (byId.get(at) as ProfileNode).callFrame.functionName;
      if (pattern.test(name) && !seen.has(name)) {
        seen.add(name);
        shares.set(name, (shares.get(name) ?? 0) + time);
      }
    }
  }
  return [...shares.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([name, time]) => ({ name, share: time / total }));
}

export function newestProfile(dir: string, pid: number): string {
  const file = readdirSync(dir).find((name) => name.includes(`.${pid}.`));
  if (!file) throw new Error(`no profile of process ${pid} in ${dir}`);
  return join(dir, file);
}
