import { describe, expect, it } from 'vitest';

import { safeRedirect } from './guards';

describe(safeRedirect.name, () => {
  it.each([
    ['/agent/tickets/12', '/agent/tickets/12'],
    ['/agent?x=1', '/agent?x=1'],
    ['/agent', '/agent'],
    ['/agentx', '/agent'],
    ['/agent/login', '/agent'],
    ['https://evil.example/agent', '/agent'],
    ['//evil.example/agent', '/agent'],
    [undefined, '/agent'],
    [['/agent/tickets/3'], '/agent/tickets/3'],
    ['/sandbox/mail', '/sandbox/mail'],
    ['/sandbox/phone?x=1', '/sandbox/phone?x=1'],
    ['/sandbox/', '/agent'],
    ['/sandbox//evil.example', '/agent'],
    ['/sandboxes', '/agent'],
  ])('%j → %s', (input, expected) => {
    expect(safeRedirect(input)).toBe(expected);
  });
});
