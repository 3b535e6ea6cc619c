package org.sagstudy.study;

import jakarta.enterprise.context.ApplicationScoped;
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
import java.util.Optional;
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

    private final SecureRandom random = new SecureRandom();
    private final DataSource dataSource;
    private final StudyCatalog catalog;
    private final ConditionBalance balance;
    private final StudyMetrics metrics;

    public Assignment(DataSource dataSource, StudyCatalog catalog, ConditionBalance balance, StudyMetrics metrics) {
        this.dataSource = dataSource;
        this.catalog = catalog;
        this.balance = balance;
        this.metrics = metrics;
    }

    /**
     * Starts a session, or returns the one this external id already has. A participant or simulated session takes
     * the condition with the fewest counted sessions of its kind ({@link ConditionBalance}); a preview takes
     * {@code previewCondition}. The only lock is the study's counter row, from the counting to the commit of the
     * session (two statements), and two starts with the same platform id meet at the database's unique index.
     */
    public Started start(long studyId, StartRequest request) {
        StudyCatalog.StudyInfo study = catalog.study(studyId)
                .orElseThrow(() -> HttpProblem.notFound("no study " + studyId));
        List<String> flags = request.kind() == SessionKind.PARTICIPANT
                ? request.ids().check(study.design().platform()) : List.of();
        List<StudyItem> items = List.copyOf(catalog.items(study.id()).values());
        if (items.stream().noneMatch(i -> i.kind() == ItemKind.TRIAL)) {
            throw HttpProblem.conflict("this study has no questions yet (see its problems on the study page)");
        }
        try {
            Optional<Started> earlier = earlier(study, request);
            if (earlier.isPresent()) {
                return earlier.get();
            }
            SessionKind kind = request.kind();
            Optional<Started> started = countedAndInserted(study, request, flags, items);
            if (started.isPresent()) {
                metrics.started(study.id(), kind);
                return started.get();
            }
            // the same platform id started at the same moment and won: resume it, or refuse as for a late comer
            return earlier(study, request).orElseThrow(() -> HttpProblem.conflict(
                    "this study is not open for participants"));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start a session: " + e.getMessage(), e);
        }
    }

    /**
     * The condition counted and the session inserted in one transaction: committed together, or rolled back together
     * when the insert makes no session (a concurrent start with the same platform id, a study just closed) or fails.
     */
    private Optional<Started> countedAndInserted(StudyCatalog.StudyInfo study, StartRequest request,
            List<String> flags, List<StudyItem> items) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                // Starts of a study queue on its counter row until they commit, so the commit does not wait for the
                // disk: a database crash (not a restart) can forget the last moments' starts, counter and session
                // together, and those participants start again. Answers are committed durably.
                try (PreparedStatement quick = c.prepareStatement("SET LOCAL synchronous_commit TO OFF")) {
                    quick.execute();
                }
                Condition condition = request.kind() == SessionKind.PREVIEW ? request.previewCondition()
                        : balance.take(c, study.id(), request.kind(), study.design().conditionList());
                Optional<Started> started = insert(c, study, request, condition, flags, items);
                if (started.isPresent()) {
                    c.commit();
                } else {
                    c.rollback();
                }
                return started;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException lost) {
                    // the connection is gone, and nothing of this start was committed
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * The study must be open (previews aside), and this person's earlier session is returned when it may be resumed:
     * only for the device that holds its secret, or for the same platform session (Prolific's SESSION_ID, MTurk's
     * assignmentId); anyone else who sends the same id is refused without its token.
     */
    private Optional<Started> earlier(StudyCatalog.StudyInfo study, StartRequest request) throws SQLException {
        ExternalIds ids = request.ids();
        SessionKind kind = request.kind();
        String presentedSecret = request.resumeSecret() == null ? null : secretHash(request.resumeSecret());
        try (Connection c = dataSource.getConnection(); PreparedStatement check = c.prepareStatement("""
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
                if (row.getString(2) == null) {
                    return Optional.empty();
                }
                boolean sameDevice = presentedSecret != null && presentedSecret.equals(row.getString(4));
                boolean samePlatformSession = ids.externalSession() != null
                        && ids.externalSession().equals(row.getString(5));
                if (!sameDevice && !samePlatformSession) {
                    throw HttpProblem.conflict("this id has already started the study on another device: "
                            + "continue there, or contact the researcher");
                }
                return Optional.of(new Started(row.getString(2), Condition.byKey(row.getString(3)).orElseThrow(),
                        true, null));
            }
        }
    }

    /**
     * The session with its plan in one statement; empty when the study is no longer open (previews aside) or the
     * same platform id was inserted first by a concurrent start.
     */
    private Optional<Started> insert(Connection c, StudyCatalog.StudyInfo study, StartRequest request,
            Condition condition, List<String> flags, List<StudyItem> items) throws SQLException {
        ExternalIds ids = request.ids();
        SessionKind kind = request.kind();
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
        try (PreparedStatement insert = c.prepareStatement("""
                WITH session AS (
                    INSERT INTO participant_session (study_id, token, condition, kind, platform, external_id,
                        external_study, external_session, seed, user_agent, resume_secret_hash, flags)
                    SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
                    WHERE ? OR (SELECT state FROM study WHERE id = ?) = 'open'
                    ON CONFLICT (study_id, platform, external_id) WHERE external_id IS NOT NULL
                        AND kind = 'participant' DO NOTHING
                    RETURNING id),
                planned AS (
                    INSERT INTO trial (session_id, position, item_id, mirrored)
                    SELECT session.id, plan.position, plan.item_id, plan.mirrored
                    FROM session, unnest(?::int[], ?::bigint[], ?::boolean[]) AS plan(position, item_id, mirrored))
                SELECT count(*) FROM session""")) {
            insert.setLong(1, study.id());
            insert.setString(2, token);
            insert.setString(3, condition.key());
            insert.setString(4, kind.key());
            insert.setString(5, ids.platform());
            insert.setString(6, ids.externalId());
            insert.setString(7, ids.externalStudy());
            insert.setString(8, ids.externalSession());
            insert.setLong(9, seed);
            String userAgent = request.userAgent();
            insert.setString(10, userAgent == null ? null : userAgent.substring(0, Math.min(500, userAgent.length())));
            insert.setString(11, secretHash(resumeSecret));
            insert.setString(12, flags.isEmpty() ? null : String.join(", ", flags));
            insert.setBoolean(13, kind == SessionKind.PREVIEW);
            insert.setLong(14, study.id());
            insert.setArray(15, c.createArrayOf("int4", positions));
            insert.setArray(16, c.createArrayOf("int8", itemIds));
            insert.setArray(17, c.createArrayOf("bool", mirrored));
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return row.getInt(1) == 0 ? Optional.empty()
                        : Optional.of(new Started(token, condition, false, resumeSecret));
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
