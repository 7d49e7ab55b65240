import type { TypingState, User } from '@flack/contract';
import type { Observable } from 'rxjs';

/**
 * Who is typing where. A typist stays listed for `TYPING_TIMEOUT_MS` after their last "typing",
 * so someone who stops, leaves or loses their connection drops off on their own. Only changes to a
 * channel's list are announced (once, by the instance that saw the change); a repeated "typing"
 * just extends it.
 */
export abstract class TypingService {
  /** A channel's new list of typists, to send to its members (on every instance). */
  abstract readonly changed: Observable<TypingState>;
  abstract start(channel: string, user: User): Promise<void>;
  abstract stop(channel: string, userId: string): Promise<void>;
  /** The user's tab closed: they type nowhere (as far as this instance's sockets go). */
  abstract stopEverywhere(userId: string): Promise<void>;
}
