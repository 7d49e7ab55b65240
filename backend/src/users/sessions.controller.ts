import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ClaimNameResponse } from '@flack/contract';
import { ClaimNameDto } from './dto/claim-name.dto.js';
import { UsersService } from './users.service.js';

@ApiTags('sessions')
@Controller('sessions')
export class SessionsController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Claim a display name',
    description: 'Returns a session token; connect the socket with `auth: { token }`.',
  })
  @ApiCreatedResponse({ description: '{ token, user }' })
  @ApiConflictResponse({ description: 'NAME_TAKEN' })
  claim(@Body() body: ClaimNameDto): Promise<ClaimNameResponse> {
    return this.users.claim(body.name);
  }
}
