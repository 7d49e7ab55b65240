import type { ClaimNameRequest } from '@flack/contract';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class ClaimNameDto implements ClaimNameRequest {
  /** Raw bound only; common/names.ts applies the real rules (32 graphemes, Unicode checks). */
  @ApiProperty({ example: 'alice', description: '1-32 characters' })
  @IsString({ message: 'Choose a display name.' })
  @Length(1, 512, { message: 'A display name must be 1 to 32 characters.' })
  name!: string;
}
