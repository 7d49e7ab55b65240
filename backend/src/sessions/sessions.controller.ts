import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { ClaimNameResponse } from '@flack/contract';
import { RateLimit, RateLimitGuard } from '../common/rate-limit/rate-limit.guard.js';
import { ClaimNameDto } from './dto/claim-name.dto.js';
import { SessionsService } from './sessions.service.js';

@ApiTags('sessions')
@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post()
  @UseGuards(RateLimitGuard)
  @RateLimit('nameClaim')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Claim a display name',
    description: 'Returns a session token; connect the socket with `auth: { token }`.',
  })
  @ApiCreatedResponse({ description: '{ token, user }' })
  @ApiConflictResponse({ description: 'NAME_TAKEN' })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED' })
  claim(@Body() body: ClaimNameDto): Promise<ClaimNameResponse> {
    return this.sessions.claim(body.name);
  }
}
