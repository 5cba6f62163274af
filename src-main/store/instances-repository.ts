// Instances, their connection secrets and their event log.
// Every state change is one transaction: the new state plus one event row.
// A connection's password is sealed by the SecretStore, and removed once its instance ends.
import { DaasError } from '../../src-shared/errors';
import { errorText, isErrorTextKey, type stateReason, type StateReasonText } from '../../src-shared/error-texts';

// A translatable reason is stored in the same column as JSON (older rows hold plain text).
const REASON_MARK = '{"daasReason":1,';

function storedReason(reason: TransitionDetails['reason']): string | null {
  if (reason === undefined || reason === null) return null;
  if (typeof reason === 'string') return reason;
  return `${REASON_MARK}${JSON.stringify({ text: reason.text, reason: reason.reason }).slice(1)}`;
}

function readReason(stored: string | null): { stateReason: string | null; stateReasonText?: StateReasonText } {
  if (!stored?.startsWith(REASON_MARK)) return { stateReason: stored };
  try {
    const parsed = JSON.parse(stored) as { text: string; reason: StateReasonText };
    const valid = parsed.reason.texts.every((t) => isErrorTextKey(t.key));
    return valid ? { stateReason: parsed.text, stateReasonText: parsed.reason } : { stateReason: parsed.text };
  } catch {
    return { stateReason: stored };
  }
}
import { canTransition } from '../../src-shared/instance-states';
import type { Connection, Instance, InstanceState } from '../../src-shared/model';
import { PlainSecretStore, type SecretStore } from './secret-store';
import type { Db } from './database';

/** States after which an instance's desktop is gone, and with it the need for its password. */
const ENDED: readonly InstanceState[] = ['stopped', 'failed'];

export interface NewInstance {
  id: string;
  appId: string;
  name: string;
  provider: 'docker' | 'proxmox';
  endpointId: string;
  connection: Omit<Connection, 'instanceId'>;
  /** Prepared for the warm pool (its app's configuration fingerprint); absent for a user's start. */
  warm?: string;
}

/** What a transition may record besides the state itself. */
export interface TransitionDetails {
  /** Plain text, or a translatable reason (stateReason() in src-shared/error-texts.ts). */
  reason?: string | ReturnType<typeof stateReason> | null;
  resourceId?: string;
  connectionPort?: number;
  /** Failed, but its resource is kept and may run again (re-attached): keep its password. */
  resourceKept?: boolean;
}

export interface InstanceRecord extends Instance {
  resourceId: string | null;
  provider: 'docker' | 'proxmox';
  endpointId: string | null;
  /** A prepared (warm-pool) instance not handed out yet: its app's configuration fingerprint. */
  warm: string | null;
}

export class InstancesRepository {
  constructor(
    private readonly db: Db,
    /** Seals connection passwords (the OS keychain in Electron, a key file in serve). */
    private readonly secrets: SecretStore = new PlainSecretStore(),
  ) {}

  private query() {
    return this.db
      .selectFrom('instances')
      .innerJoin('apps', 'apps.id', 'instances.app_id')
      .select([
        'instances.id',
        'instances.app_id',
        'apps.name as app_name',
        'instances.name',
        'instances.state',
        'instances.state_reason',
        'instances.resource_id',
        'instances.provider',
        'instances.endpoint_id',
        'instances.warm',
        'instances.created_at',
        'instances.updated_at',
      ]);
  }

  private static toRecord(row: {
    id: string;
    app_id: string;
    app_name: string;
    name: string;
    state: string;
    state_reason: string | null;
    resource_id: string | null;
    provider: 'docker' | 'proxmox';
    endpoint_id: string | null;
    warm: string | null;
    created_at: string;
    updated_at: string;
  }): InstanceRecord {
    return {
      id: row.id,
      appId: row.app_id,
      appName: row.app_name,
      name: row.name,
      state: row.state as InstanceState,
      ...readReason(row.state_reason),
      resourceId: row.resource_id,
      provider: row.provider,
      endpointId: row.endpoint_id,
      warm: row.warm,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  async list(): Promise<InstanceRecord[]> {
    const rows = await this.query().orderBy('instances.created_at', 'desc').execute();
    return rows.map(InstancesRepository.toRecord);
  }

  async get(id: string): Promise<InstanceRecord | undefined> {
    const row = await this.query().where('instances.id', '=', id).executeTakeFirst();
    return row && InstancesRepository.toRecord(row);
  }

  async countByApp(appId: string): Promise<number> {
    const row = await this.db
      .selectFrom('instances')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('app_id', '=', appId)
      .where('warm', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Writes the instance (state "creating"), its connection and its first event together. */
  async create(instance: NewInstance): Promise<InstanceRecord> {
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('instances')
        .values({
          id: instance.id,
          app_id: instance.appId,
          name: instance.name,
          state: 'creating',
          state_reason: null,
          resource_id: null,
          provider: instance.provider,
          endpoint_id: instance.endpointId,
          warm: instance.warm ?? null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await tx
        .insertInto('connections')
        .values({
          instance_id: instance.id,
          protocol: instance.connection.protocol,
          host: instance.connection.host,
          port: instance.connection.port,
          password: this.secrets.seal(instance.connection.password),
        })
        .execute();
      await tx.insertInto('events').values({ instance_id: instance.id, at: now, state: 'creating', detail: null }).execute();
    });
    const created = await this.get(instance.id);
    if (!created) throw new Error(`instance ${instance.id} vanished after insert`);
    return created;
  }

  /** Moves an instance to a new state if the state machine allows it; one transaction. */
  async transition(id: string, to: InstanceState, details: TransitionDetails = {}): Promise<InstanceRecord> {
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom('instances').select('state').where('id', '=', id).executeTakeFirst();
      if (!row) throw new DaasError('INSTANCE_NOT_FOUND', errorText('error.instance.notFound', { instanceId: id }), errorText('fix.instance.refreshList'));
      const from = row.state as InstanceState;
      if (!canTransition(from, to)) {
        throw new DaasError(
          'INVALID_TRANSITION',
          errorText('error.instance.cannotBecome', { from, to }),
          errorText(from === 'stopped' ? 'fix.instance.alreadyStopped' : 'fix.instance.waitForAction'),
        );
      }
      await tx
        .updateTable('instances')
        .set({
          state: to,
          state_reason: storedReason(details.reason),
          updated_at: now,
          ...(details.resourceId !== undefined ? { resource_id: details.resourceId } : {}),
        })
        .where('id', '=', id)
        .execute();
      if (details.connectionPort !== undefined) {
        await tx.updateTable('connections').set({ port: details.connectionPort }).where('instance_id', '=', id).execute();
      }
      if (ENDED.includes(to) && !details.resourceKept) await tx.updateTable('connections').set({ password: '' }).where('instance_id', '=', id).execute();
      await tx.insertInto('events').values({ instance_id: id, at: now, state: to, detail: typeof details.reason === 'object' && details.reason !== null ? details.reason.text : (details.reason ?? null) }).execute();
    });
    const updated = await this.get(id);
    if (!updated) throw new Error(`instance ${id} vanished during a transition`);
    return updated;
  }

  /**
   * Deletes the rows of stopped instances with their connection and events, in one
   * transaction; returns the ids deleted. A row in any other state is left: it may still
   * hold a container or VM.
   */
  async remove(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    return this.db.transaction().execute(async (tx) => {
      const rows = await tx
        .selectFrom('instances')
        .select('id')
        .where('id', 'in', ids)
        .where('state', '=', 'stopped')
        .execute();
      const ended = rows.map((r) => r.id);
      if (ended.length === 0) return [];
      await tx.deleteFrom('events').where('instance_id', 'in', ended).execute();
      await tx.deleteFrom('connections').where('instance_id', 'in', ended).execute();
      await tx.deleteFrom('instances').where('id', 'in', ended).execute();
      return ended;
    });
  }

  /**
   * Hands a prepared instance to the user: it is theirs from now (named, listed, timed from now).
   * False when it was handed out or ended already.
   */
  async claimWarm(id: string, name: string): Promise<boolean> {
    const now = new Date().toISOString();
    const result = await this.db
      .updateTable('instances')
      .set({ warm: null, name, created_at: now, updated_at: now })
      .where('id', '=', id)
      .where('warm', 'is not', null)
      .where('state', '=', 'running')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Records the provider's resource id without changing state (e.g. right after create). */
  async setResourceId(id: string, resourceId: string): Promise<void> {
    await this.db.updateTable('instances').set({ resource_id: resourceId }).where('id', '=', id).execute();
  }

  async setConnectionPort(id: string, port: number): Promise<void> {
    await this.db.updateTable('connections').set({ port }).where('instance_id', '=', id).execute();
  }

  async setConnectionPassword(id: string, password: string): Promise<void> {
    await this.db.updateTable('connections').set({ password: this.secrets.seal(password) }).where('instance_id', '=', id).execute();
  }

  async getConnection(instanceId: string): Promise<Connection | undefined> {
    const row = await this.db.selectFrom('connections').selectAll().where('instance_id', '=', instanceId).executeTakeFirst();
    if (!row || row.port === null) return undefined;
    const password = row.password ? this.secrets.open(row.password) : '';
    return { instanceId: row.instance_id, protocol: row.protocol, host: row.host, port: row.port, password };
  }

  async events(instanceId: string): Promise<{ state: string; detail: string | null; at: string }[]> {
    return this.db
      .selectFrom('events')
      .select(['state', 'detail', 'at'])
      .where('instance_id', '=', instanceId)
      .orderBy('id')
      .execute();
  }

  /**
   * Deletes up to `batch` events older than `before` (ISO time); returns how many went.
   * Small batches keep each write short, so starts and stops never wait behind a prune.
   */
  async pruneEvents(before: string, batch: number): Promise<number> {
    const result = await this.db
      .deleteFrom('events')
      .where('id', 'in', (eb) => eb.selectFrom('events').select('id').where('at', '<', before).orderBy('id').limit(batch))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
