import { LIMITS, type Message, type Reaction } from '@flack/contract';
import type { ReactionChange, ReactionResult } from './messages.repository.js';

/**
 * The reaction rule as storage applies it to one message, in TypeScript for the in-memory
 * repository (the Redis one runs the same steps in its Lua script; the repository contract holds
 * both to one behaviour). Returns a new message, never changes `message`.
 */
export function withReaction(message: Message, { emoji, user, add }: ReactionChange): ReactionResult {
  if (message.deletedAt) return { outcome: 'gone' };
  const reactions = message.reactions ?? [];
  const index = reactions.findIndex((reaction) => reaction.emoji === emoji);
  const reaction = reactions[index];
  const listed = reaction?.users.some((someone) => someone.id === user.id) ?? false;
  if (add === listed) return { outcome: 'unchanged', message };
  if (add && !reaction && reactions.length >= LIMITS.reactionsPerMessage) return { outcome: 'full', message };

  let next: Reaction[];
  if (add && reaction) {
    const users = [...reaction.users, { id: user.id, name: user.name }];
    next = reactions.map((other, at) => (at === index ? { emoji, users } : other));
  } else if (add) {
    next = [...reactions, { emoji, users: [{ id: user.id, name: user.name }] }];
  } else {
    const users = reaction!.users.filter((someone) => someone.id !== user.id);
    next =
      users.length > 0
        ? reactions.map((other, at) => (at === index ? { emoji, users } : other))
        : reactions.filter((_, at) => at !== index);
  }
  const { reactions: _before, ...rest } = message;
  const changed: Message = { ...rest, revision: (message.revision ?? 0) + 1 };
  if (next.length > 0) changed.reactions = next;
  return { outcome: 'changed', message: changed };
}
