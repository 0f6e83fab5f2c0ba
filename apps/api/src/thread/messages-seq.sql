-- Every message of a ticket gets the next number of its conversation (messages.seq), whichever code
-- inserts it: clients that reconnect ask for seq > last seen (ConversationsRepository). The ticket
-- row's lock orders one conversation's inserts, so seq follows commit order; the same update keeps the
-- ticket's last activity (for text), the seq of the customer's latest text (what agents have not
-- read is last_inbound_seq > agent_read_seq) and updated_at. A text is also noted for the search indexer
-- (MessageSearchIndexer): an append to a table without indexes, so the webhook does not compute or
-- index its vector.
CREATE OR REPLACE FUNCTION messages_assign_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tickets
     SET last_seq = last_seq + 1,
         last_message_at = CASE WHEN NEW.kind = 'text' THEN now() ELSE last_message_at END,
         last_inbound_seq = CASE WHEN NEW.kind = 'text' AND NEW.direction = 'in' THEN last_seq + 1
                                 ELSE last_inbound_seq END,
         updated_at = now()
   WHERE id = NEW.ticket_id
  RETURNING last_seq INTO NEW.seq;
  IF NEW.kind = 'text' THEN
    INSERT INTO message_search_pending (message_id) VALUES (NEW.id);
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER messages_assign_seq BEFORE INSERT ON messages
  FOR EACH ROW EXECUTE FUNCTION messages_assign_seq();
