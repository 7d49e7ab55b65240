import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { EPOCH_KEY } from '../../../src/redis/redis-store.js';

/** One command as Redis's MONITOR reports it: its name (upper case) and arguments. */
export interface SeenCommand {
  name: string;
  args: string[];
}

/** What Redis executed while an action ran: sent by the instances, and run inside their scripts. */
export interface CommandCount {
  topLevel: SeenCommand[];
  inScripts: SeenCommand[];
}

/**
 * Background work that is not caused by the action being counted: each instance's watchdog ping
 * (`GET` of EPOCH_KEY) and the Socket.IO adapter's blocking stream reads.
 */
const isBackground = ({ name, args }: SeenCommand): boolean =>
  (name === 'GET' && args[0] === EPOCH_KEY) || name === 'XREAD' || name === 'PING';

/**
 * Counts the commands Redis runs during an action, with Redis's own MONITOR, so a test can hold a
 * feature to a number of commands per event ("O(1) per message, whatever the number of channels").
 * The end of an action is marked by an ECHO of a random token sent once it resolved: everything
 * MONITOR reports before that token is what the action (and its acks) caused.
 */
export class CommandCounter {
  private readonly seen: { command: SeenCommand; lua: boolean }[] = [];
  private waiting?: { token: string; resolve: () => void };

  private constructor(
    private readonly monitor: Awaited<ReturnType<Redis['monitor']>>,
    private readonly client: Redis,
  ) {
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      const [name = '', ...rest] = args;
      const command = { name: name.toUpperCase(), args: rest };
      if (command.name === 'ECHO' && this.waiting && rest[0] === this.waiting.token) {
        this.waiting.resolve();
        return;
      }
      if (!isBackground(command)) this.seen.push({ command, lua: source === 'lua' });
    });
  }

  static async start(url: string): Promise<CommandCounter> {
    const client = new Redis(url, { lazyConnect: false });
    const monitor = await client.monitor();
    return new CommandCounter(monitor, new Redis(url));
  }

  /** Runs `action`, then answers the commands Redis received from its start until it resolved. */
  async during(action: () => Promise<unknown>): Promise<CommandCount> {
    await this.flush();
    this.seen.length = 0;
    await action();
    await this.flush();
    const topLevel = this.seen.filter(({ lua }) => !lua).map(({ command }) => command);
    const inScripts = this.seen.filter(({ lua }) => lua).map(({ command }) => command);
    return { topLevel, inScripts };
  }

  /** Waits until MONITOR has reported everything Redis ran before now. */
  private async flush(): Promise<void> {
    const token = randomUUID();
    const reached = new Promise<void>((resolve) => (this.waiting = { token, resolve }));
    await this.client.echo(token);
    await reached;
    this.waiting = undefined;
  }

  async stop(): Promise<void> {
    this.monitor.disconnect();
    await this.client.quit();
  }
}
