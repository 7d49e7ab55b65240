import type { Channel } from '@flack/contract';
import { ApiProperty } from '@nestjs/swagger';

/** Documents `Channel` for OpenAPI; the contract interface stays the source of truth. */
export class ChannelResponse implements Channel {
  @ApiProperty({ example: 'general', description: 'Case-folded name; unique' })
  id!: string;
  @ApiProperty({ example: 'General' })
  name!: string;
  @ApiProperty({ example: 3, description: 'Users who joined' })
  members!: number;
  @ApiProperty({ example: 42, description: 'Stored messages (at most 100)' })
  messages!: number;
  @ApiProperty({ example: '2026-11-25T12:00:00.000Z' })
  createdAt!: string;
  @ApiProperty({ example: '2026-11-25T12:30:00.000Z', nullable: true, type: String })
  lastMessageAt!: string | null;
  @ApiProperty({
    example: 'Planning on Thursdays',
    required: false,
    description: 'What the channel is about (at most 250 characters, one line); absent when none',
  })
  topic?: string;
}
