package org.sagstudy.study;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.sql.DataSource;
import org.sagstudy.web.HttpProblem;

/**
 * New sessions: balanced assignment to a condition, the participant's plan drawn from a stored seed, and one
 * participation per platform id (coming back resumes the same session).
 */
@ApplicationScoped
public class Assignment {

    /**
     * What starts a session: the platform's ids, who starts it, the preview's condition (previews only), the
     * browser, and the resume secret the first start of this person gave their device (null when none).
     */
    public record StartRequest(ExternalIds ids, SessionKind kind, Condition previewCondition, String userAgent,
            String resumeSecret) {

        public static StartRequest of(ExternalIds ids, SessionKind kind, String userAgent, String resumeSecret) {
            return new StartRequest(ids, kind, null, userAgent, resumeSecret);
        }
    }

    /** {@code resumeSecret}: for a new session, the secret its device keeps to come back; null when resumed. */
    public record Started(String token, Condition condition, boolean resumed, String resumeSecret) {
    }

    private static final int ASSIGNMENT_LOCK = 0x5A6;
    private final SecureRandom random = new SecureRandom();
    private final DataSource dataSource;
    private final StudyCatalog catalog;

    public Assignment(DataSource dataSource, StudyCatalog catalog) {
        this.dataSource = dataSource;
        this.catalog = catalog;
    }

    /**
     * Starts a session, or returns the one this external id already has. A participant or simulated session takes
     * the condition with the fewest sessions of its kind (completed, or active within the study's timeout); a preview
     * takes {@code previewCondition}.
     */
    @Transactional
    public Started start(long studyId, StartRequest request) {
        StudyCatalog.StudyInfo study = catalog.study(studyId)
                .orElseThrow(() -> HttpProblem.notFound("no study " + studyId));
        List<String> flags = request.kind() == SessionKind.PARTICIPANT
                ? request.ids().check(study.design().platform()) : List.of();
        try (Connection c = dataSource.getConnection()) {
            return start(c, study, request, flags);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start a session: " + e.getMessage(), e);
        }
    }

    /**
     * Everything that needs no lock is prepared first (seed, token, plan); under the study's assignment lock one
     * statement checks the study and finds this person's earlier session, and one counts the conditions and inserts
     * the session with its plan. An earlier session is resumed only for the device that holds its secret, or for the
     * same platform session (Prolific's SESSION_ID, MTurk's assignmentId); anyone else who sends the same id is
     * refused without its token.
     */
    private Started start(Connection c, StudyCatalog.StudyInfo study, StartRequest request, List<String> flags)
            throws SQLException {
        ExternalIds ids = request.ids();
        SessionKind kind = request.kind();
        List<StudyItem> items = List.copyOf(catalog.items(study.id()).values());
        if (items.stream().noneMatch(i -> i.kind() == ItemKind.TRIAL)) {
            throw HttpProblem.conflict("this study has no questions yet (see its problems on the study page)");
        }
        long seed = random.nextLong();
        String token = randomText(24);
        String resumeSecret = randomText(32);
        List<SessionPlan.Trial> plan = SessionPlan.draw(items, seed);
        Integer[] positions = new Integer[plan.size()];
        Long[] itemIds = new Long[plan.size()];
        Boolean[] mirrored = new Boolean[plan.size()];
        for (int i = 0; i < plan.size(); i++) {
            positions[i] = i;
            itemIds[i] = plan.get(i).itemId();
            mirrored[i] = plan.get(i).mirrored();
        }
        List<Condition> candidates = kind == SessionKind.PREVIEW ? List.of(request.previewCondition())
                : study.design().conditionList();
        String presentedSecret = request.resumeSecret() == null ? null : secretHash(request.resumeSecret());

        // the lock alone first: the next statements' snapshots then see every session committed before it
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
            lock.setInt(1, ASSIGNMENT_LOCK);
            lock.setInt(2, (int) study.id());
            lock.execute();
        }
        try (PreparedStatement check = c.prepareStatement("""
                SELECT (SELECT state FROM study WHERE id = ?), existing.token, existing.condition,
                       existing.resume_secret_hash, existing.external_session
                FROM (SELECT 1) one LEFT JOIN participant_session existing
                  ON existing.study_id = ? AND existing.kind = 'participant' AND ?
                 AND CASE WHEN ?::text IS NULL THEN existing.resume_secret_hash = ?::text
                          ELSE existing.platform = ? AND existing.external_id = ?::text END
                LIMIT 1""")) {
            check.setLong(1, study.id());
            check.setLong(2, study.id());
            check.setBoolean(3, kind == SessionKind.PARTICIPANT);
            check.setString(4, ids.externalId());
            check.setString(5, presentedSecret);
            check.setString(6, ids.platform());
            check.setString(7, ids.externalId());
            try (ResultSet row = check.executeQuery()) {
                row.next();
                String state = row.getString(1);
                if (kind != SessionKind.PREVIEW && !StudyState.OPEN.key().equals(state)) {
                    throw HttpProblem.conflict("this study is not open for participants (it is " + state + ")");
                }
                if (row.getString(2) != null) {
                    boolean sameDevice = presentedSecret != null && presentedSecret.equals(row.getString(4));
                    boolean samePlatformSession = ids.externalSession() != null
                            && ids.externalSession().equals(row.getString(5));
                    if (!sameDevice && !samePlatformSession) {
                        throw HttpProblem.conflict("this id has already started the study on another device: "
                                + "continue there, or contact the researcher");
                    }
                    return new Started(row.getString(2), Condition.byKey(row.getString(3)).orElseThrow(), true,
                            null);
                }
            }
        }
        try (PreparedStatement insert = c.prepareStatement("""
                WITH chosen AS (
                    SELECT c.condition FROM unnest(?::text[]) AS c(condition)
                    LEFT JOIN participant_session s ON s.study_id = ? AND s.kind = ? AND s.condition = c.condition
                         AND (s.state = 'completed' OR s.last_seen_at > now() - make_interval(mins => ?))
                    GROUP BY c.condition ORDER BY count(s.id), random() LIMIT 1),
                session AS (
                    INSERT INTO participant_session (study_id, token, condition, kind, platform, external_id,
                        external_study, external_session, seed, user_agent, resume_secret_hash, flags)
                    SELECT ?, ?, chosen.condition, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM chosen RETURNING id, condition),
                planned AS (
                    INSERT INTO trial (session_id, position, item_id, mirrored)
                    SELECT session.id, plan.position, plan.item_id, plan.mirrored
                    FROM session, unnest(?::int[], ?::bigint[], ?::boolean[]) AS plan(position, item_id, mirrored))
                SELECT condition FROM session""")) {
            insert.setArray(1, c.createArrayOf("text", candidates.stream().map(Condition::key).toArray()));
            insert.setLong(2, study.id());
            insert.setString(3, kind.key());
            insert.setInt(4, study.design().activeMinutes());
            insert.setLong(5, study.id());
            insert.setString(6, token);
            insert.setString(7, kind.key());
            insert.setString(8, ids.platform());
            insert.setString(9, ids.externalId());
            insert.setString(10, ids.externalStudy());
            insert.setString(11, ids.externalSession());
            insert.setLong(12, seed);
            String userAgent = request.userAgent();
            insert.setString(13, userAgent == null ? null : userAgent.substring(0, Math.min(500, userAgent.length())));
            insert.setString(14, secretHash(resumeSecret));
            insert.setString(15, flags.isEmpty() ? null : String.join(", ", flags));
            insert.setArray(16, c.createArrayOf("int4", positions));
            insert.setArray(17, c.createArrayOf("int8", itemIds));
            insert.setArray(18, c.createArrayOf("bool", mirrored));
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return new Started(token, Condition.byKey(row.getString(1)).orElseThrow(), false, resumeSecret);
            }
        }
    }

    private String randomText(int bytes) {
        byte[] random = new byte[bytes];
        this.random.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static String secretHash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
