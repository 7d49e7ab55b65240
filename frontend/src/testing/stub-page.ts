import { ChangeDetectionStrategy, Component } from '@angular/core';

/** A routed page that is not under test: specs only check that the router got there. */
@Component({
  selector: 'app-stub-page',
  template: 'stub page',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StubPage {}
