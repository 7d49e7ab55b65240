import { UseFilters, UseGuards } from '@nestjs/common';
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { AckResponse, SearchHit, User } from '@flack/contract';
import { RateLimit, RateLimitGuard } from '../common/rate-limit/rate-limit.guard.js';
import { ok } from '../common/ws/ack.js';
import { SessionUser } from '../common/ws/session-user.decorator.js';
import { WsAckExceptionFilter } from '../common/ws/ws-ack-exception.filter.js';
import { SearchDto } from './dto/search.dto.js';
import { SearchService } from './search.service.js';

/** `message:search`: finding messages by their words. */
@WebSocketGateway()
@UseFilters(WsAckExceptionFilter)
@UseGuards(RateLimitGuard)
export class SearchGateway {
  constructor(private readonly searches: SearchService) {}

  /**
   * Its own rate limit (SEARCHES_PER_MINUTE), not the history one: a search reads every joined
   * channel's history at once, and the app searches as one types, which must not use up what a
   * reconnect's catch-up (`channel:history`) needs.
   */
  @SubscribeMessage('message:search')
  @RateLimit('search')
  async search(
    @SessionUser() user: User,
    @MessageBody() { query }: SearchDto,
  ): Promise<AckResponse<SearchHit[]>> {
    return ok(await this.searches.search(user.id, query));
  }
}
