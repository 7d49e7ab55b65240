import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import type { User } from '@flack/contract';
import { Avatar } from '../shared/avatar';

/**
 * A list of people with an online dot: the channel's members, or everyone online. Picking someone
 * else opens a direct conversation with them.
 */
@Component({
  selector: 'app-people-list',
  imports: [Avatar],
  template: `
    <ul class="people" [attr.aria-label]="label()">
      @for (person of people(); track person.id) {
        <li class="person" [class.offline]="!online().has(person.id)">
          <span class="avatar-wrap">
            <app-avatar size="small" [name]="person.name" [seed]="person.id" />
            <span class="dot" aria-hidden="true"></span>
          </span>
          @if (person.id === ownUserId()) {
            <span class="name" dir="auto" [title]="person.name">{{ person.name }}</span>
            <span class="you">you</span>
          } @else {
            <button
              type="button"
              class="name pick"
              dir="auto"
              [title]="'Message ' + person.name"
              [attr.aria-label]="'Message ' + person.name"
              (click)="picked.emit(person)"
            >
              {{ person.name }}
            </button>
          }
          <span class="visually-hidden">{{ online().has(person.id) ? ', online' : ', offline' }}</span>
        </li>
      }
    </ul>
  `,
  styles: `
    .people {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .person {
      display: flex;
      align-items: center;
      gap: 8px;
      padding: 4px 8px;
      min-width: 0;
    }
    .avatar-wrap {
      position: relative;
      flex: none;
      display: inline-flex;
    }
    .dot {
      position: absolute;
      right: -2px;
      bottom: -2px;
      width: 10px;
      height: 10px;
      border: 2px solid var(--people-bg, var(--bg));
      border-radius: 50%;
      background: #2e9e5b;
    }
    .offline .dot {
      background: transparent;
      border-color: var(--text-muted);
    }
    .offline .name {
      opacity: 0.7;
    }
    .name {
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .pick {
      padding: 0;
      border: 0;
      background: none;
      color: inherit;
      font: inherit;
      text-align: left;
      cursor: pointer;
    }
    .pick:hover {
      text-decoration: underline;
    }
    /* Touch screens: the whole row is a 44 px target. */
    @media (pointer: coarse) {
      .pick {
        flex: 1;
        min-height: 44px;
      }
    }
    .you {
      font-size: 11px;
      font-weight: 700;
      text-transform: uppercase;
      opacity: 0.7;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PeopleList {
  readonly people = input.required<readonly User[]>();
  readonly online = input.required<ReadonlySet<string>>();
  readonly ownUserId = input<string | null>(null);
  readonly label = input.required<string>();
  /** Someone other than this person was picked. */
  readonly picked = output<User>();
}
