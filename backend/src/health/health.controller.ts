import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';

@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly startedAt = new Date().toISOString();

  @Get()
  @ApiOkResponse({ description: 'The server is up and answering' })
  check(): { status: 'ok'; startedAt: string } {
    return { status: 'ok', startedAt: this.startedAt };
  }
}
