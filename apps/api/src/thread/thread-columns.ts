/** SQL fragments the thread's reads share: one definition of what a ticket summary is. */

export const ISO = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A ticket as the inbox lists it (`t` tickets, `c` its customer, `a` its assignee). The last text and
 * the unread count are read from the thread's `(ticket_id, seq)` index, newest first; a ticket the
 * agents have read to the end (no customer text after their marker) costs no count at all.
 */
export const SUMMARY_COLUMNS = `
  t.id::text, t.channel, t.status,
  json_build_object('id', c.id::text, 'name', c.name, 'username', c.username, 'email', c.email, 'phone', c.phone,
                    'smsOptedOutAt', ${ISO('c.sms_opted_out_at')}, 'smsOptOutSource', c.sms_opt_out_source) AS customer,
  CASE WHEN a.id IS NULL THEN NULL ELSE json_build_object('id', a.id::text, 'name', COALESCE(a.name, a.email)) END AS assignee,
  (SELECT json_build_object('body', m.body, 'direction', m.direction, 'createdAt', ${ISO('m.created_at')})
     FROM messages m WHERE m.ticket_id = t.id AND m.kind = 'text' ORDER BY m.seq DESC LIMIT 1) AS "lastMessage",
  CASE WHEN t.last_inbound_seq > t.agent_read_seq THEN
    (SELECT count(*)::int FROM messages m
      WHERE m.ticket_id = t.id AND m.seq > t.agent_read_seq AND m.direction = 'in' AND m.kind = 'text')
  ELSE 0 END AS unread,
  ${ISO('t.last_message_at')} AS "lastActivityAt", ${ISO('t.created_at')} AS "createdAt"`;

export const isId = (id: string) => /^\d{1,18}$/.test(id);
