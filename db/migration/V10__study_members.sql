-- Who may work on a study besides the instance's admins: its owner (who created it; the only one who may export raw
-- platform ids) and the collaborators the owner names. Accounts have the role admin (every study, the accounts) or
-- researcher (their own studies and those they collaborate on). Studies made before this migration have no owner:
-- instance admins manage them.
CREATE TABLE study_member (
    study_id   BIGINT NOT NULL REFERENCES study (id) ON DELETE CASCADE,
    username   TEXT NOT NULL REFERENCES admin_user (username) ON DELETE CASCADE,
    member     TEXT NOT NULL CHECK (member IN ('owner', 'collaborator')),
    added_at   TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    PRIMARY KEY (study_id, username)
);
CREATE UNIQUE INDEX study_one_owner ON study_member (study_id) WHERE member = 'owner';
CREATE INDEX study_member_user ON study_member (username);
