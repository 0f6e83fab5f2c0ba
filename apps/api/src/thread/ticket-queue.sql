-- ticket_queue holds, for each unresolved ticket, what the inbox's lists filter and sort by
-- (migration 1763762400000 says why it is a table of its own: so a message's update of its ticket stays
-- HOT). This trigger is the only writer: whichever code opens, answers, assigns, reads, resolves or
-- reopens a ticket, the queue follows in the same transaction. The update trigger fires only when a
-- mirrored column changed, so a message that moves nothing (an event) costs no call.
CREATE OR REPLACE FUNCTION tickets_sync_queue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status = 'resolved' THEN
    DELETE FROM ticket_queue WHERE ticket_id = NEW.id;
  ELSIF TG_OP = 'INSERT' OR OLD.status = 'resolved' THEN
    INSERT INTO ticket_queue (ticket_id, status, channel, assignee_id, last_message_at, last_inbound_seq, agent_read_seq)
    VALUES (NEW.id, NEW.status, NEW.channel, NEW.assignee_id, NEW.last_message_at, NEW.last_inbound_seq,
            NEW.agent_read_seq);
  ELSE
    UPDATE ticket_queue
       SET status = NEW.status, channel = NEW.channel, assignee_id = NEW.assignee_id,
           last_message_at = NEW.last_message_at, last_inbound_seq = NEW.last_inbound_seq,
           agent_read_seq = NEW.agent_read_seq
     WHERE ticket_id = NEW.id;
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER tickets_queue_insert AFTER INSERT ON tickets
  FOR EACH ROW WHEN (NEW.status <> 'resolved') EXECUTE FUNCTION tickets_sync_queue();

CREATE OR REPLACE TRIGGER tickets_queue_update AFTER UPDATE ON tickets
  FOR EACH ROW WHEN ((OLD.status, OLD.channel, OLD.assignee_id, OLD.last_message_at, OLD.last_inbound_seq,
                      OLD.agent_read_seq)
                     IS DISTINCT FROM
                     (NEW.status, NEW.channel, NEW.assignee_id, NEW.last_message_at, NEW.last_inbound_seq,
                      NEW.agent_read_seq)
                     AND (OLD.status <> 'resolved' OR NEW.status <> 'resolved'))
  EXECUTE FUNCTION tickets_sync_queue();
