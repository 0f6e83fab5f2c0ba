-- A pg-boss job inserted in the caller's transaction, so it commits or rolls back with the rows it is
-- about (JobQueue.enqueue, and sms_automated_reply). pg-boss's own insert (plans.js insertJob of
-- pg-boss 10.4.2), reduced to what we use. pg-boss is pinned exactly; the SMS tests prove its workers
-- run the jobs this function creates.
CREATE OR REPLACE FUNCTION enqueue_job(p_queue text, p_data jsonb, p_start_after timestamptz DEFAULT now())
RETURNS uuid LANGUAGE plpgsql AS $$
DECLARE v_id uuid;
BEGIN
  INSERT INTO pgboss.job (name, data, start_after, retry_limit, retry_delay, retry_backoff, expire_in,
                          keep_until, dead_letter, policy)
  SELECT q.name, p_data, p_start_after,
         COALESCE(q.retry_limit, 2),
         CASE WHEN COALESCE(q.retry_backoff, false) THEN GREATEST(COALESCE(q.retry_delay, 0), 1)
              ELSE COALESCE(q.retry_delay, 0) END,
         COALESCE(q.retry_backoff, false),
         COALESCE(q.expire_seconds * interval '1 second', interval '15 minutes'),
         p_start_after + COALESCE(q.retention_minutes * interval '1 minute', interval '14 days'),
         q.dead_letter, q.policy
    FROM pgboss.queue q WHERE q.name = p_queue
  RETURNING id INTO v_id;
  IF v_id IS NULL THEN
    RAISE EXCEPTION 'job queue "%" does not exist', p_queue;
  END IF;
  RETURN v_id;
END $$;
