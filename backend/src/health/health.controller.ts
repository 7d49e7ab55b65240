import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RedisStore, type RedisHealth } from '../redis/redis-store.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly startedAt = new Date().toISOString();

  constructor(@Inject(RedisStore) private readonly redis: RedisStore | null) {}

  @Get()
  @ApiOkResponse({ description: 'The server is up and answering' })
  @ApiServiceUnavailableResponse({
    description:
      'Redis (REDIS_URL) is out of reach or stopped answering; a load balancer should skip this instance',
  })
  check(@Res({ passthrough: true }) response: Response): {
    status: 'ok' | 'degraded' | 'unavailable';
    startedAt: string;
    redis?: RedisHealth;
  } {
    if (!this.redis) return { status: 'ok', startedAt: this.startedAt };
    const redis = this.redis.health;
    if (redis === 'up') return { status: 'ok', startedAt: this.startedAt, redis };
    // Full: every instance shares that Redis, so taking this one out of the balancer helps nobody;
    // reads still work. Monitoring sees "degraded"; writes answer UNAVAILABLE in words.
    if (redis === 'full') return { status: 'degraded', startedAt: this.startedAt, redis };
    response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'unavailable', startedAt: this.startedAt, redis };
  }
}
