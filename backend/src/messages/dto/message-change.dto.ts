import type { EditMessagePayload, MessageRef, ReadPayload } from '@flack/contract';
import { IsInt, IsString, IsUUID, Length, Min } from 'class-validator';
import { CHANNEL_REF } from '../../channels/dto/channel.dto.js';
import { IsMessageText } from '../../common/validation/message-text.validator.js';

export class MessageRefDto implements MessageRef {
  @IsString(CHANNEL_REF)
  @Length(1, 1024, CHANNEL_REF)
  channel!: string;

  @IsUUID(undefined, { message: 'Say which message: its id is a UUID.' })
  id!: string;
}

export class EditMessageDto extends MessageRefDto implements EditMessagePayload {
  /** The same rule as a new message. */
  @IsMessageText()
  text!: string;
}

export class ReadDto implements ReadPayload {
  @IsString(CHANNEL_REF)
  @Length(1, 1024, CHANNEL_REF)
  channel!: string;

  @IsInt({ message: 'The read position must be a whole number.' })
  @Min(0, { message: 'The read position cannot be negative.' })
  seq!: number;
}
