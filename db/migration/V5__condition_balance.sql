-- Balanced assignment without serializing a study's starts. Per study and session kind, how many counted sessions
-- each condition has; a start takes the least-filled condition in one UPDATE of this row, in its own short
-- transaction, so the row is locked only for that statement. participant_session.counted says whether a session is
-- in the counts: a periodic sweep takes out sessions abandoned past the study's timeout and puts back those that
-- came back or completed.
CREATE TABLE condition_balance (
    study_id   BIGINT NOT NULL REFERENCES study (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('participant', 'simulated')),
    conditions TEXT[] NOT NULL,
    counts     INTEGER[] NOT NULL,
    -- the position the last start took (read back by that start's RETURNING)
    taken      INTEGER,
    PRIMARY KEY (study_id, kind)
);

-- The position of a least-filled condition, ties broken by tie in [0, 1).
CREATE FUNCTION least_filled(counts INTEGER[], tie DOUBLE PRECISION) RETURNS INTEGER
LANGUAGE sql IMMUTABLE AS $$
    SELECT i FROM generate_subscripts(counts, 1) AS i
    WHERE counts[i] = (SELECT min(c) FROM unnest(counts) AS c)
    ORDER BY i
    OFFSET floor(tie * (SELECT count(*) FROM unnest(counts) AS c WHERE c = (SELECT min(m) FROM unnest(counts) AS m)))
    LIMIT 1
$$;

ALTER TABLE participant_session ADD COLUMN counted BOOLEAN NOT NULL DEFAULT true;

-- What the counts start from for studies already running: every session counted by the old rule.
UPDATE participant_session s SET counted = (s.state = 'completed'
    OR s.last_seen_at > now() - make_interval(mins => coalesce((st.design ->> 'activeMinutes')::int, 60)))
FROM study st WHERE st.id = s.study_id;
INSERT INTO condition_balance (study_id, kind, conditions, counts)
SELECT st.id, k.kind, array_agg(c.condition ORDER BY c.ordinality),
       array_agg((SELECT count(*)::int FROM participant_session s WHERE s.study_id = st.id AND s.kind = k.kind
                  AND s.condition = c.condition AND s.counted) ORDER BY c.ordinality)
FROM study st
CROSS JOIN (VALUES ('participant'), ('simulated')) AS k(kind)
CROSS JOIN LATERAL jsonb_array_elements_text(st.design -> 'conditions') WITH ORDINALITY AS c(condition, ordinality)
WHERE st.state = 'open'
GROUP BY st.id, k.kind;
