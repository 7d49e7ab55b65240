import type { Channel } from '@flack/contract';

/** How a conversation is named: the channel's name, or the other person's for a direct one. */
export function channelLabel(channel: Channel, ownUserId: string | null): string {
  if (!channel.dm) return channel.name;
  return channel.dm.find((user) => user.id !== ownUserId)?.name ?? channel.name;
}

/** `#` for a channel, `@` for a direct conversation. */
export function channelSigil(channel: Channel): '#' | '@' {
  return channel.dm ? '@' : '#';
}

/** `#general` or `@bob`: the label with its sigil, for titles and placeholders. */
export function channelTitle(channel: Channel, ownUserId: string | null): string {
  return `${channelSigil(channel)}${channelLabel(channel, ownUserId)}`;
}
