import type { ClaimNameRequest } from '@flack/contract';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class ClaimNameDto implements ClaimNameRequest {
  /** Raw bound only; common/names.ts applies the real rules (32 graphemes, Unicode checks). */
  @ApiProperty({ example: 'alice', description: '1-32 characters' })
  @IsString()
  @Length(1, 512)
  name!: string;
}
