-- Chat texts into open conversations, any number in one call (ThreadMessagesRepository batches the
-- messages sent at the same moment): lock their conversations (in id order, so two batches never wait
-- for each other in a circle), store each text whose conversation takes it in the order given (the
-- seq trigger numbers them in that order). A text into a conversation that is not open (a customer's:
-- it reopens it) or whose client id was used (a resend: the insert's trigger would take a seq even for
-- a conflict) is left out, and its caller takes the general path. Returns the stored rows with their
-- positions in the input (1-based): the caller's statement cannot read them back from the table,
-- whose rows it sees as they were when it started. Every message sent meanwhile waits for a batch, so
-- it gives up on a conversation locked for longer than 500 ms (lock_not_available): the caller then
-- stores its messages one by one, and one that still waits goes to the general path alone.
--
-- A function so that its plan is made once per connection: as a prepared statement PostgreSQL planned
-- it afresh on most calls (custom plans for each array of ids), which cost more than running it.
CREATE OR REPLACE FUNCTION chat_append_open(
  p_ticket_ids bigint[],
  p_directions text[],
  p_author_ids bigint[],
  p_bodies text[],
  p_client_ids uuid[]
) RETURNS TABLE (ord bigint, message messages)
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
BEGIN
  PERFORM set_config('lock_timeout', '500ms', true);
  RETURN QUERY
  WITH input AS (
    SELECT * FROM unnest(p_ticket_ids, p_directions, p_author_ids, p_bodies, p_client_ids)
                  WITH ORDINALITY AS i(ticket_id, direction, author_id, body, client_id, ord)
  ), conversation AS (
    SELECT t.id, t.status FROM tickets t
     WHERE t.id IN (SELECT i.ticket_id FROM input i) AND t.channel = 'chat'
     ORDER BY t.id
       FOR UPDATE
  ), stored AS (
    INSERT INTO messages AS m (ticket_id, direction, author_id, kind, body, client_id, status)
    SELECT i.ticket_id, i.direction, i.author_id, 'text', i.body, i.client_id,
           CASE i.direction WHEN 'in' THEN 'received' ELSE 'sent' END
      FROM input i JOIN conversation c ON c.id = i.ticket_id
     WHERE (c.status = 'open' OR i.direction = 'out')
       AND NOT EXISTS (SELECT 1 FROM messages e WHERE e.ticket_id = i.ticket_id AND e.client_id = i.client_id)
     ORDER BY i.ord
        ON CONFLICT (ticket_id, client_id) WHERE client_id IS NOT NULL DO NOTHING
    RETURNING m AS row
  )
  SELECT i.ord, s.row
    FROM stored s JOIN input i ON i.ticket_id = (s.row).ticket_id AND i.client_id = (s.row).client_id;
END
$$;
