import type { ChannelRef, CreateChannelPayload, HistoryPayload, OpenDmPayload } from '@flack/contract';
import { IsInt, IsOptional, IsString, IsUUID, Length, Min } from 'class-validator';

/**
 * Raw-length bounds only: the exact rules for names (graphemes, Unicode) live in common/names.ts,
 * which the service applies. The raw bound stops megabyte strings before any Unicode work.
 */
const MAX_RAW_NAME_LENGTH = 1024;

/** The error for a missing or malformed channel reference, in words. */
export const CHANNEL_REF = { message: 'Say which channel: its name or id.' };

export class CreateChannelDto implements CreateChannelPayload {
  @IsString({ message: 'A channel needs a name.' })
  @Length(1, MAX_RAW_NAME_LENGTH, { message: 'A channel name must be 1 to 64 characters.' })
  name!: string;
}

export class ChannelRefDto implements ChannelRef {
  @IsString(CHANNEL_REF)
  @Length(1, MAX_RAW_NAME_LENGTH, CHANNEL_REF)
  channel!: string;
}

export class OpenDmDto implements OpenDmPayload {
  @IsUUID(undefined, { message: 'Say who to talk to: their user id.' })
  userId!: string;
}

export class HistoryDto implements HistoryPayload {
  @IsString(CHANNEL_REF)
  @Length(1, MAX_RAW_NAME_LENGTH, CHANNEL_REF)
  channel!: string;

  @IsOptional()
  @IsInt({ message: 'afterSeq must be a whole number.' })
  @Min(0, { message: 'afterSeq cannot be negative.' })
  afterSeq?: number;
}
