import type { FileBytes, FileRecord, FileVariant, Quotas, QuotaProblem } from './files.repository.js';
import { FilesRepository } from './files.repository.js';

interface Stored {
  record: FileRecord;
  content: Buffer;
  thumbnail?: Buffer;
}

/** Files in this process's memory: bounded by FILES_MAX_TOTAL_BYTES, since every byte is reserved first. */
export class InMemoryFilesRepository extends FilesRepository {
  private readonly files = new Map<string, Stored>();
  /** Channel id → ids of its files. */
  private readonly byChannel = new Map<string, Set<string>>();
  private readonly usedBy = new Map<string, number>();
  private total = 0;

  async reserve(owner: string, bytes: number, quotas: Quotas): Promise<QuotaProblem> {
    const used = this.usedBy.get(owner) ?? 0;
    if (used + bytes > quotas.perUser) return 'user';
    if (this.total + bytes > quotas.total) return 'total';
    this.usedBy.set(owner, used + bytes);
    this.total += bytes;
    return null;
  }

  async release(owner: string, bytes: number): Promise<void> {
    this.total = Math.max(0, this.total - bytes);
    const used = this.usedBy.get(owner);
    if (used === undefined) return;
    if (used - bytes > 0) this.usedBy.set(owner, used - bytes);
    else this.usedBy.delete(owner);
  }

  async save(record: FileRecord, content: Buffer, thumbnail?: Buffer): Promise<void> {
    this.files.set(record.info.id, { record: structuredClone(record), content, thumbnail });
  }

  async find(id: string): Promise<FileRecord | undefined> {
    const stored = this.files.get(id);
    return stored && structuredClone(stored.record);
  }

  async read(id: string, variant: FileVariant): Promise<FileBytes | undefined> {
    const stored = this.files.get(id);
    const bytes = variant === 'content' ? stored?.content : stored?.thumbnail;
    return bytes && { length: bytes.length, pieces: [bytes] };
  }

  async claim(owner: string, ids: string[], channel: string, clientId: string, expiresAt: number) {
    const records: FileRecord[] = [];
    for (const id of ids) {
      const record = this.files.get(id)?.record;
      if (!record || record.owner !== owner) return { problem: { id, reason: 'unknown' as const } };
      const sameMessage = record.channel === channel && record.clientId === clientId;
      if (record.channel !== undefined && !sameMessage)
        return { problem: { id, reason: 'attached' as const } };
      records.push(record);
    }
    for (const record of records) {
      record.channel = channel;
      record.clientId = clientId;
      if (record.seq === undefined) record.expiresAt = expiresAt;
      this.channelSet(channel).add(record.info.id);
    }
    return { files: records.map((record) => structuredClone(record)) };
  }

  async attach(channel: string, ids: string[], seq: number): Promise<void> {
    for (const id of ids) {
      const record = this.files.get(id)?.record;
      if (record?.channel !== channel) continue;
      record.seq = seq;
      delete record.expiresAt;
    }
  }

  async remove(ids: string[]): Promise<number> {
    let freed = 0;
    for (const id of ids) {
      const stored = this.files.get(id);
      if (!stored) continue;
      this.files.delete(id);
      const { channel, owner, bytes } = stored.record;
      if (channel !== undefined) {
        const set = this.byChannel.get(channel);
        set?.delete(id);
        if (set?.size === 0) this.byChannel.delete(channel);
      }
      await this.release(owner, bytes);
      freed += bytes;
    }
    return freed;
  }

  async idsOfMessage(channel: string, seq: number): Promise<string[]> {
    return this.idsWhere(channel, (record) => record.seq === seq);
  }

  async idsUpTo(channel: string, seq: number): Promise<string[]> {
    return this.idsWhere(channel, (record) => record.seq !== undefined && record.seq <= seq);
  }

  async idsOfChannel(channel: string): Promise<string[]> {
    return [...(this.byChannel.get(channel) ?? [])];
  }

  async expired(now: number): Promise<string[]> {
    return [...this.files.values()]
      .filter(({ record }) => record.expiresAt !== undefined && record.expiresAt <= now)
      .map(({ record }) => record.info.id);
  }

  async unattachedOf(owner: string): Promise<string[]> {
    return [...this.files.values()]
      .filter(({ record }) => record.owner === owner && record.seq === undefined)
      .map(({ record }) => record.info.id);
  }

  async forgetOwner(owner: string): Promise<void> {
    this.usedBy.delete(owner);
  }

  async usage(owner: string): Promise<{ user: number; total: number }> {
    return { user: this.usedBy.get(owner) ?? 0, total: this.total };
  }

  private channelSet(channel: string): Set<string> {
    let set = this.byChannel.get(channel);
    if (!set) this.byChannel.set(channel, (set = new Set()));
    return set;
  }

  private idsWhere(channel: string, keep: (record: FileRecord) => boolean): string[] {
    return [...(this.byChannel.get(channel) ?? [])].filter((id) => {
      const record = this.files.get(id)?.record;
      return record !== undefined && keep(record);
    });
  }
}
