import { LIMITS, type EditMessagePayload, type MessageRef, type ReadPayload } from '@flack/contract';
import { IsInt, IsString, IsUUID, Length, Matches, Min } from 'class-validator';

export class MessageRefDto implements MessageRef {
  @IsString()
  @Length(1, 1024)
  channel!: string;

  @IsUUID()
  id!: string;
}

export class EditMessageDto extends MessageRefDto implements EditMessagePayload {
  /** The same rule as a new message: 1 to LIMITS.messageMaxLength code points, not blank. */
  @IsString()
  @Length(1, LIMITS.messageMaxLength, {
    message: `text must be 1 to ${LIMITS.messageMaxLength} characters long`,
  })
  @Matches(/\S/, { message: 'text must not be blank' })
  text!: string;
}

export class ReadDto implements ReadPayload {
  @IsString()
  @Length(1, 1024)
  channel!: string;

  @IsInt()
  @Min(0)
  seq!: number;
}
