-- Which worker finished a job (its lease owner at that moment): several processes share the queue.
ALTER TABLE job ADD COLUMN finished_by TEXT;
