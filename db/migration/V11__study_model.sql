-- A study names the model whose explanations it shows (servers may now hold several models). Studies made before
-- this migration get the model of the explanations their items were built from; those already open or closed also
-- get its hash, which a study now freezes at open. Nothing else changes: every explanation, job and answer stays.
UPDATE study s SET design = s.design || jsonb_build_object('model', e.document #>> '{model,name}')
                                     || CASE WHEN s.state <> 'draft'
                                             THEN jsonb_build_object('modelSha256', e.model_sha256)
                                             ELSE '{}'::jsonb END
FROM (SELECT DISTINCT ON (si.study_id) si.study_id, x.document, x.model_sha256
      FROM study_item si JOIN explanation x ON x.id = si.explanation_id
      ORDER BY si.study_id, si.ordinal) e
WHERE e.study_id = s.id AND NOT s.design ? 'model';
