-- Platform ids in one letter case (Prolific's lower, MTurk's upper), as the server now stores them: the unique index
-- participant_once then holds one participation per normalised id. A participant who took part twice under two
-- spellings before this migration keeps one session under the normalised id (the one already spelled so, else the
-- first); the others keep their spelling (so the unique index still holds) and are flagged, so the results exclude them.
WITH normalised AS (
    SELECT id, CASE platform WHEN 'prolific' THEN lower(external_id) ELSE upper(external_id) END AS id_norm,
           row_number() OVER (PARTITION BY study_id, platform,
                              CASE platform WHEN 'prolific' THEN lower(external_id) ELSE upper(external_id) END
                              ORDER BY external_id = CASE platform WHEN 'prolific' THEN lower(external_id)
                                                          ELSE upper(external_id) END DESC, id) AS nth
    FROM participant_session
    WHERE kind = 'participant' AND external_id IS NOT NULL AND platform IN ('prolific', 'mturk')
)
UPDATE participant_session s
SET external_id = CASE WHEN n.nth = 1 THEN n.id_norm ELSE s.external_id END,
    flags = CASE WHEN n.nth = 1 THEN s.flags
                 ELSE concat_ws(', ', s.flags, 'the same platform id in another letter case took part before') END
FROM normalised n
WHERE s.id = n.id AND (n.nth > 1 OR s.external_id <> n.id_norm);

UPDATE participant_session
SET external_study = CASE platform WHEN 'prolific' THEN lower(external_study) ELSE upper(external_study) END,
    external_session = CASE WHEN platform = 'prolific' THEN lower(external_session)
                            WHEN external_session = 'ASSIGNMENT_ID_NOT_AVAILABLE' THEN external_session
                            ELSE upper(external_session) END
WHERE platform IN ('prolific', 'mturk');

-- A platform session brought by a second id is flagged at its start: found by this index.
CREATE INDEX participant_platform_session ON participant_session (study_id, platform, external_session)
    WHERE kind = 'participant' AND external_session IS NOT NULL;
