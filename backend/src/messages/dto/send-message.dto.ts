import type { SendMessagePayload } from '@flack/contract';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { IsMessageText } from '../../common/validation/message-text.validator.js';
import { CHANNEL_REF } from '../../channels/dto/channel.dto.js';

export class SendMessageDto implements SendMessagePayload {
  @IsString(CHANNEL_REF)
  @Length(1, 1024, CHANNEL_REF)
  channel!: string;

  @IsMessageText()
  text!: string;

  @IsUUID(undefined, { message: 'The message has no valid clientId (a UUID).' })
  clientId!: string;

  @IsOptional()
  @IsUUID(undefined, { message: 'Say which message this one replies to: its id is a UUID.' })
  replyTo?: string;
}
