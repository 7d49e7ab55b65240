import type { SendMessagePayload } from '@flack/contract';
import { IsOptional, IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import { IsMessageText } from '../../common/validation/message-text.validator.js';
import { CHANNEL_REF } from '../../channels/dto/channel.dto.js';
import { IsFileIds, textRequired } from '../../files/dto/file-ids.validator.js';

export class SendMessageDto implements SendMessagePayload {
  @IsString(CHANNEL_REF)
  @Length(1, 1024, CHANNEL_REF)
  channel!: string;

  /** May be empty when files are attached. */
  @ValidateIf(textRequired)
  @IsMessageText()
  text!: string;

  @IsUUID(undefined, { message: 'The message has no valid clientId (a UUID).' })
  clientId!: string;

  @IsOptional()
  @IsUUID(undefined, { message: 'Say which message this one replies to: its id is a UUID.' })
  replyTo?: string;

  /** Not flat, so a send with files takes the full pipe; a text-only send keeps the lean check. */
  @IsOptional()
  @IsFileIds()
  files?: string[];
}
