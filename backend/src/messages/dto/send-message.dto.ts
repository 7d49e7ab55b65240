import type { SendMessagePayload } from '@flack/contract';
import { LIMITS } from '@flack/contract';
import { IsString, IsUUID, Length, Matches } from 'class-validator';

export class SendMessageDto implements SendMessagePayload {
  @IsString()
  @Length(1, 1024)
  channel!: string;

  /** Length counts Unicode code points (class-validator's rule), so an emoji is one character. */
  @IsString()
  @Length(1, LIMITS.messageMaxLength, {
    message: `text must be 1 to ${LIMITS.messageMaxLength} characters long`,
  })
  @Matches(/\S/, { message: 'text must not be blank' })
  text!: string;

  @IsUUID()
  clientId!: string;
}
