-- A photo's true class, when known (an ImageNet file name, or given at upload): studies keep to photos the model
-- classifies correctly unless the experimenter allows others.
ALTER TABLE image ADD COLUMN true_wnid TEXT;
ALTER TABLE image ADD COLUMN true_label TEXT;

-- Jobs of two kinds: explain a photo, or compute the confidences of more masked images of an explanation (the random
-- options of a study's questions). Such confidences join the explanation's in masked_confidence.
ALTER TABLE job ADD COLUMN kind TEXT NOT NULL DEFAULT 'explain' CHECK (kind IN ('explain', 'confidences'));
ALTER TABLE job ADD COLUMN explanation_id BIGINT REFERENCES explanation (id) ON DELETE CASCADE;

-- What a question asks: both options are nodes of the SAG shown (a look-up for SAG readers), one is, neither is
-- (options the search evaluated, or random ones), a parent against its child; attention checks and the example.
ALTER TABLE study_item RENAME COLUMN source TO question_kind;
UPDATE study_item SET question_kind = CASE question_kind
    WHEN 'siblings' THEN 'both-in-sag' WHEN 'sag-vs-other' THEN 'one-in-sag' WHEN 'other' THEN 'neither-searched'
    ELSE question_kind END;

-- A study imported from another installation's protocol file runs with the items it came with (never rebuilt).
ALTER TABLE study ADD COLUMN imported BOOLEAN NOT NULL DEFAULT false;
