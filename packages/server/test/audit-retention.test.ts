import { randomUUID } from 'node:crypto';
import type { AuditEvent } from '@latchkey/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows } from './support/stored-state';
import { startTestService, type TestService } from './support/test-service';

const RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;

function auditEvent(createdAt: number, reason: string): AuditEvent {
  return {
    id: randomUUID(),
    createdAt,
    action: 'api_key_used',
    outcome: 'success',
    reason,
    actorUserId: null,
    apiKeyId: null,
    subjectUserId: null,
    connectorId: null,
    details: null,
  };
}

async function appendEvents(
  service: TestService,
  count: number,
  createdAt: number,
  reason: string,
) {
  await Promise.all(
    Array.from({ length: count }, () =>
      service.deps.store.audit.append(auditEvent(createdAt, reason)),
    ),
  );
}

function reasonsLeft(service: TestService): Promise<string[]> {
  return service.deps.store.audit
    .page(500)
    .then((events) => [...new Set(events.map((event) => event.reason ?? ''))].sort());
}

/** The audit table is kept for the configured days, driven with `runNow` on the fake clock. */
describe('audit-retention job', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({
      LATCHKEY_JOBS_ENABLED: 'false',
      LATCHKEY_AUDIT_RETENTION_DAYS: String(RETENTION_DAYS),
    });
  });
  afterAll(() => service.stop());

  it('deletes every event older than the retention, across several batches, and keeps the rest', async () => {
    const now = service.clock.now;
    const cutoff = now - RETENTION_DAYS * DAY_MS;
    // More than two delete batches' worth of old events.
    await appendEvents(service, 2500, cutoff - 10 * DAY_MS, 'old');
    await appendEvents(service, 3, cutoff - 1, 'just-expired');
    await appendEvents(service, 3, cutoff, 'at-the-limit');
    await appendEvents(service, 3, now - DAY_MS, 'recent');
    const before = await countRows(service, 'audit_events');

    expect(await service.jobs.runNow('audit-retention')).toBe(true);

    expect(await countRows(service, 'audit_events')).toBe(before - 2503);
    expect(await reasonsLeft(service)).not.toContain('old');
    expect(await reasonsLeft(service)).not.toContain('just-expired');
    expect(await reasonsLeft(service)).toEqual(expect.arrayContaining(['at-the-limit', 'recent']));
    const finished = service
      .logs()
      .split('\n')
      .filter((line) => line.includes('"audit-retention"') && line.includes('"job finished"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(finished.at(-1)).toMatchObject({ auditEventsDeleted: 2503 });
  });

  it('deletes the kept events once they age past the retention', async () => {
    await appendEvents(service, 2, service.clock.now, 'aging');
    service.clock.now += (RETENTION_DAYS + 1) * DAY_MS;
    await service.jobs.runNow('audit-retention');
    expect(await reasonsLeft(service)).toEqual([]);
    expect(await countRows(service, 'audit_events')).toBe(0);
  });
});

describe('audit retention 0', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({
      LATCHKEY_JOBS_ENABLED: 'false',
      LATCHKEY_AUDIT_RETENTION_DAYS: '0',
    });
  });
  afterAll(() => service.stop());

  it('keeps events forever: there is no retention job', async () => {
    await appendEvents(service, 2, service.clock.now - 10_000 * DAY_MS, 'ancient');
    await expect(service.jobs.runNow('audit-retention')).rejects.toThrow(/no job named/);
    for (const job of ['expired-flows', 'unused-connections']) await service.jobs.runNow(job);
    expect(await reasonsLeft(service)).toContain('ancient');
  });
});
