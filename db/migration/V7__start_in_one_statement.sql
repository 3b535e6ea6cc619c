-- A start in one statement. Before, a start counted its condition and inserted its session in a transaction of
-- several statements, so the study's counter row stayed locked across four round trips between the server and the
-- database: 200 people pressing start together waited on each other for up to a second. In one function call (run
-- in a transaction of its own) the row is locked only while the database inserts the session and its plan.
--
-- Returns the session's condition, or NULL when no session was made: the study is not open (previews aside), or a
-- session with the same platform id exists. A participant or simulated session takes the least-filled condition of
-- its kind (ties broken by p_tie in [0, 1)) and is counted with it; a preview takes p_preview_condition uncounted.
CREATE FUNCTION start_session(
    p_study_id BIGINT, p_kind TEXT, p_conditions TEXT[], p_preview_condition TEXT, p_tie DOUBLE PRECISION,
    p_token TEXT, p_platform TEXT, p_external_id TEXT, p_external_study TEXT, p_external_session TEXT,
    p_seed BIGINT, p_user_agent TEXT, p_resume_secret_hash TEXT, p_flags TEXT,
    p_positions INTEGER[], p_item_ids BIGINT[], p_mirrored BOOLEAN[]) RETURNS TEXT
LANGUAGE plpgsql AS $$
DECLARE
    balance        condition_balance;
    taken_position INTEGER;
    taken          TEXT := p_preview_condition;
    new_session_id BIGINT;
BEGIN
    -- The commit does not wait for the disk while the counter row is locked: a database crash (not a restart) can
    -- forget the last moments' starts, count and session together, and those participants start again. Answers
    -- are committed durably.
    PERFORM set_config('synchronous_commit', 'off', true);
    IF p_kind <> 'preview' THEN
        IF (SELECT state FROM study WHERE id = p_study_id) IS DISTINCT FROM 'open' THEN
            RETURN NULL;
        END IF;
        INSERT INTO condition_balance (study_id, kind, conditions, counts)
        SELECT p_study_id, p_kind, p_conditions, array_fill(0, ARRAY[cardinality(p_conditions)])
        WHERE NOT EXISTS (SELECT 1 FROM condition_balance WHERE study_id = p_study_id AND kind = p_kind)
        ON CONFLICT (study_id, kind) DO NOTHING;
        -- From here to the commit, starts of this study and kind wait for this one; so does a start with the same
        -- platform id, which then finds this session and makes none.
        SELECT * INTO balance FROM condition_balance WHERE study_id = p_study_id AND kind = p_kind FOR UPDATE;
        taken_position := least_filled(balance.counts, p_tie);
        taken := balance.conditions[taken_position];
    END IF;
    INSERT INTO participant_session (study_id, token, condition, kind, platform, external_id, external_study,
        external_session, seed, user_agent, resume_secret_hash, flags)
    VALUES (p_study_id, p_token, taken, p_kind, p_platform, p_external_id, p_external_study, p_external_session,
        p_seed, p_user_agent, p_resume_secret_hash, p_flags)
    ON CONFLICT (study_id, platform, external_id) WHERE external_id IS NOT NULL AND kind = 'participant' DO NOTHING
    RETURNING id INTO new_session_id;
    IF new_session_id IS NULL THEN
        RETURN NULL;
    END IF;
    IF taken_position IS NOT NULL THEN
        UPDATE condition_balance SET counts[taken_position] = counts[taken_position] + 1
        WHERE study_id = p_study_id AND kind = p_kind;
    END IF;
    INSERT INTO trial (session_id, position, item_id, mirrored)
    SELECT new_session_id, plan.position, plan.item_id, plan.mirrored
    FROM unnest(p_positions, p_item_ids, p_mirrored) AS plan(position, item_id, mirrored);
    RETURN taken;
END
$$;

-- A returning participant without a platform id is found by the secret their device keeps.
CREATE INDEX participant_resume ON participant_session (study_id, resume_secret_hash) WHERE kind = 'participant';

-- condition_balance.taken is no longer written; it stays so that processes of the previous version, which read their
-- start's condition back through it, keep starting sessions correctly during a rolling upgrade.
