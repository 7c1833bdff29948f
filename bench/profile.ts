import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setUpBench } from './bench-servers';
import { newestProfile, summariseProfile } from './cpu-profile-summary';
import { runLoad } from './load';
import type { LoadUsage } from './parent-channel';
import { requestMix } from './request-mix';

/**
 * `npx tsx bench/profile.ts [token|proxy] [seconds]`: the bench's setup, then one load run
 * against Latchkey alone (with `BENCH_PROTOTYPES` if set) under `--cpu-prof`, and where its
 * time went (`BENCH_CONNECTIONS` sets the load's connections, 64 unless set). `--keep` keeps
 * the .cpuprofile (open it in Chrome DevTools).
 */
const phase = process.argv[2] === 'proxy' ? 'proxy' : 'token';
const durationS = Number(process.argv[3] ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
const say = (line: string) => process.stdout.write(`${line}\n`);

const bench = await setUpBench();
const profileDir = mkdtempSync(join(tmpdir(), 'latchkey-profile-'));
const latchkey = await bench.startLatchkey({
  prototypes: process.env.BENCH_PROTOTYPES ?? '',
  cpuProfileDir: profileDir,
});
const next = requestMix(bench.seeded)[phase];
await runLoad({ url: latchkey.url, connections, durationS: 2, nextRequest: next });
await latchkey.call('startSampling');
const run = await runLoad({ url: latchkey.url, connections, durationS, nextRequest: next });
const usage = await latchkey.call<LoadUsage>('stopSampling');
say(
  `${phase}: ${run.rps.toFixed(0)} req/s, p50 ${run.p50Ms.toFixed(2)} ms, ${run.failed} failed, ` +
    `${((usage.cpuMs * 1000) / run.ok).toFixed(0)} µs of Latchkey CPU per request`,
);
await latchkey.stop();
await bench.close();

const file = newestProfile(profileDir, latchkey.pid);
const summary = summariseProfile(
  file,
  Number(process.env.BENCH_PROFILE_TOP ?? 30),
  /^(async )?[a-z][A-Za-z]+$/,
);
const percent = (share: number) => `${(share * 100).toFixed(1).padStart(5)} %`;
say('\nself time by area:');
for (const area of summary.areas) say(`  ${percent(area.share)}  ${area.name}`);
say('\nself time by function:');
for (const fn of summary.functions) say(`  ${percent(fn.share)}  ${fn.name}`);
say('\ninclusive time of named functions (top 40):');
for (const fn of summary.inclusive.slice(0, 40)) say(`  ${percent(fn.share)}  ${fn.name}`);
if (process.argv.includes('--keep')) say(`\nprofile kept: ${file}`);
else rmSync(profileDir, { recursive: true, force: true });
