import type { AlertableAgent } from '../agents/agent-availability.repository';
import { alertRecipients } from './alert-recipients';

const agent = (id: string, name: string, state: Partial<AlertableAgent> = {}): AlertableAgent => ({
  id,
  name,
  mobile: `+4477009001${id.padStart(2, '0')}`,
  stopped: false,
  quiet: false,
  ...state,
});

const names = (plan: ReturnType<typeof alertRecipients>) =>
  'recipients' in plan ? plan.recipients.map((a) => a.name) : plan.held;

describe('alertRecipients', () => {
  const dana = agent('1', 'Dana');
  const sam = agent('2', 'Sam');
  const lee = agent('3', 'Lee');

  it('alerts only the assignee when they are on duty and reachable', () => {
    expect(names(alertRecipients([dana, sam, lee], '2', 'all'))).toEqual(['Sam']);
  });

  it('alerts every agent on duty without an assignee on duty, or one in turn', () => {
    expect(names(alertRecipients([dana, sam, lee], null, 'all'))).toEqual(['Dana', 'Sam', 'Lee']);
    expect(names(alertRecipients([sam, dana, lee], '99', 'round-robin'))).toEqual(['Sam']);
  });

  it('passes over agents in quiet hours or whose phone texted STOP, the assignee included', () => {
    const quietSam = agent('2', 'Sam', { quiet: true });
    const stoppedDana = agent('1', 'Dana', { stopped: true });
    expect(names(alertRecipients([stoppedDana, quietSam, lee], '2', 'round-robin'))).toEqual(['Lee']);
  });

  it('alerts nobody, quietly, when nobody is on duty with a mobile', () => {
    expect(alertRecipients([], '1', 'all')).toEqual({ recipients: [] });
  });

  it('holds the alert back with the reason when nobody on duty can take it', () => {
    expect(
      alertRecipients(
        [agent('1', 'Dana', { quiet: true }), agent('2', 'Sam', { stopped: true })],
        '1',
        'all',
      ),
    ).toEqual({ held: 'No agent on duty can take an SMS now (Dana: quiet hours; Sam: texted STOP)' });
  });
});
