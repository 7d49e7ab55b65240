import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RedisStore } from '../redis/redis-store.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly startedAt = new Date().toISOString();

  constructor(@Inject(RedisStore) private readonly redis: RedisStore | null) {}

  @Get()
  @ApiOkResponse({ description: 'The server is up and answering' })
  @ApiServiceUnavailableResponse({
    description: 'Redis (REDIS_URL) is out of reach; a load balancer should skip this instance',
  })
  check(@Res({ passthrough: true }) response: Response): {
    status: 'ok' | 'unavailable';
    startedAt: string;
    redis?: 'up' | 'down';
  } {
    if (!this.redis) return { status: 'ok', startedAt: this.startedAt };
    if (this.redis.available) return { status: 'ok', startedAt: this.startedAt, redis: 'up' };
    response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'unavailable', startedAt: this.startedAt, redis: 'down' };
  }
}
