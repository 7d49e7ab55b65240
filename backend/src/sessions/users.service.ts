import { Injectable } from '@nestjs/common';
import type { User } from '@flack/contract';
import { UsersRepository, type UserRecord } from './users.repository.js';

/** The directory of people, for features that show or address someone by id. */
@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  /** Users by id, in the order asked; ids of users that no longer exist are skipped. One store call. */
  async findMany(ids: readonly string[]): Promise<User[]> {
    return (await this.users.findMany(ids)).map(toUser);
  }
}

export function toUser({ id, name }: UserRecord): User {
  return { id, name };
}
