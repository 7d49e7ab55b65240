import type { ChannelRef, CreateChannelPayload, HistoryPayload, OpenDmPayload } from '@flack/contract';
import { IsInt, IsOptional, IsString, IsUUID, Length, Min } from 'class-validator';

/**
 * Raw-length bounds only: the exact rules for names (graphemes, Unicode) live in common/names.ts,
 * which the service applies. The raw bound stops megabyte strings before any Unicode work.
 */
const MAX_RAW_NAME_LENGTH = 1024;

export class CreateChannelDto implements CreateChannelPayload {
  @IsString()
  @Length(1, MAX_RAW_NAME_LENGTH)
  name!: string;
}

export class ChannelRefDto implements ChannelRef {
  @IsString()
  @Length(1, MAX_RAW_NAME_LENGTH)
  channel!: string;
}

export class OpenDmDto implements OpenDmPayload {
  @IsUUID()
  userId!: string;
}

export class HistoryDto implements HistoryPayload {
  @IsString()
  @Length(1, MAX_RAW_NAME_LENGTH)
  channel!: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  afterSeq?: number;
}
