import type { AlertableAgent } from '../agents/agent-availability.repository';

export type AlertPlan = { recipients: AlertableAgent[] } | { held: string };

/**
 * Whom a customer's chat alerts: its assignee when they are on duty and can take an SMS now; else the
 * other agents on duty who can (every one, or the one longest without an alert: `onDuty` comes in that
 * order). Nobody on duty with a confirmed mobile: nobody, quietly (the desk does not use the alerts
 * now). Agents on duty none of whom can take one: why, for the thread.
 */
export function alertRecipients(
  onDuty: readonly AlertableAgent[],
  assigneeId: string | null,
  routing: 'all' | 'round-robin',
): AlertPlan {
  const reachable = onDuty.filter((agent) => !agent.stopped && !agent.quiet);
  const assignee = reachable.find((agent) => agent.id === assigneeId);
  if (assignee) return { recipients: [assignee] };
  if (reachable.length > 0) return { recipients: routing === 'all' ? reachable : reachable.slice(0, 1) };
  if (onDuty.length === 0) return { recipients: [] };
  const why = onDuty.map((agent) => `${agent.name}: ${agent.stopped ? 'texted STOP' : 'quiet hours'}`);
  return { held: `No agent on duty can take an SMS now (${why.join('; ')})` };
}
