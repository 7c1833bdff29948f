import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

interface StoredRecord {
  payload: AdapterPayload;
  /** Epoch milliseconds; Infinity when oidc-provider gave no lifetime. */
  expiresAt: number;
}

/**
 * Map-backed storage for every oidc-provider model (the interface of oidc-provider's
 * example/my_adapter.js), shared by all adapters of one test provider so that tests can
 * inspect what was issued and revoke it behind the provider's back.
 */
export class MemoryStore {
  private readonly models = new Map<string, Map<string, StoredRecord>>();
  /** grantId → `model:id` of every token issued under that grant, for revokeByGrantId. */
  private readonly grantMembers = new Map<string, Set<string>>();

  readonly adapterFactory: AdapterFactory = (model) => new MemoryAdapter(this, model);

  /** Live (unexpired) payloads of one model, e.g. 'RefreshToken', 'Grant', 'Session'. */
  list(model: string): AdapterPayload[] {
    return [...this.records(model).keys()]
      .map((id) => this.get(model, id))
      .filter((payload): payload is AdapterPayload => payload !== undefined);
  }

  /** Destroys the grants of one account (or all) and every token issued under them. */
  revokeGrants(accountId?: string): number {
    const grants = this.list('Grant').filter(
      (grant) => accountId === undefined || grant.accountId === accountId,
    );
    for (const grant of grants) {
      if (grant.jti === undefined) continue;
      this.revokeByGrantId(grant.jti);
      this.delete('Grant', grant.jti);
    }
    return grants.length;
  }

  get(model: string, id: string): AdapterPayload | undefined {
    const record = this.records(model).get(id);
    if (record === undefined) return undefined;
    if (record.expiresAt <= Date.now()) {
      this.delete(model, id);
      return undefined;
    }
    // Copies keep stored state independent of the provider's in-memory model objects,
    // as a real database would.
    return structuredClone(record.payload);
  }

  set(model: string, id: string, payload: AdapterPayload, expiresInSeconds?: number): void {
    const expiresAt =
      expiresInSeconds === undefined
        ? Number.POSITIVE_INFINITY
        : Date.now() + expiresInSeconds * 1000;
    this.records(model).set(id, { payload: structuredClone(payload), expiresAt });
    if (payload.grantId !== undefined) {
      const members = this.grantMembers.get(payload.grantId) ?? new Set<string>();
      members.add(`${model}:${id}`);
      this.grantMembers.set(payload.grantId, members);
    }
  }

  markConsumed(model: string, id: string): void {
    const record = this.records(model).get(id);
    if (record !== undefined) record.payload.consumed = Math.floor(Date.now() / 1000);
  }

  delete(model: string, id: string): void {
    this.records(model).delete(id);
  }

  findBy(model: string, field: 'uid' | 'userCode', value: string): AdapterPayload | undefined {
    for (const [id, record] of this.records(model)) {
      if (record.payload[field] === value) return this.get(model, id);
    }
    return undefined;
  }

  revokeByGrantId(grantId: string): void {
    for (const member of this.grantMembers.get(grantId) ?? []) {
      const separator = member.indexOf(':');
      this.delete(member.slice(0, separator), member.slice(separator + 1));
    }
    this.grantMembers.delete(grantId);
  }

  private records(model: string): Map<string, StoredRecord> {
    let records = this.models.get(model);
    if (records === undefined) {
      records = new Map();
      this.models.set(model, records);
    }
    return records;
  }
}

/** One adapter instance per model name, as oidc-provider constructs them. */
class MemoryAdapter implements Adapter {
  constructor(
    private readonly store: MemoryStore,
    private readonly model: string,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    this.store.set(this.model, id, payload, expiresIn);
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.store.get(this.model, id);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.store.findBy(this.model, 'uid', uid);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.store.findBy(this.model, 'userCode', userCode);
  }

  async consume(id: string): Promise<void> {
    this.store.markConsumed(this.model, id);
  }

  async destroy(id: string): Promise<void> {
    this.store.delete(this.model, id);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    this.store.revokeByGrantId(grantId);
  }
}
