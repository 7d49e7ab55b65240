import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChannelsService } from './channels.service.js';
import { ChannelResponse } from './dto/channel.response.js';

@ApiTags('channels')
@Controller('channels')
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Get()
  @ApiOperation({ summary: 'Every channel, sorted by name' })
  @ApiOkResponse({ type: ChannelResponse, isArray: true })
  list(): Promise<ChannelResponse[]> {
    return this.channels.list();
  }
}
