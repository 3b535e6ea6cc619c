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
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.sagstudy.database.EnumSql;
import org.sagstudy.problem.Conflict;
import org.sagstudy.problem.NotFound;

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
    private final StudyMetrics metrics;
    private final StartLimits.Config limits;

    public Assignment(DataSource dataSource, StudyCatalog catalog, StudyMetrics metrics, StartLimits.Config limits) {
        this.limits = limits;
        this.dataSource = dataSource;
        this.catalog = catalog;
        this.metrics = metrics;
    }

    /**
     * Starts a session, or returns the one this external id already has. A participant or simulated session takes
     * the condition with the fewest counted sessions of its kind ({@link ConditionBalance}); a preview takes
     * {@code previewCondition}. The count and the session are made by one call of the database's
     * {@code start_session}, so the study's counter row is locked only while the database runs it, and two starts
     * with the same platform id meet at that row: the second finds the first one's session.
     */
    public Started start(long studyId, StartRequest request) {
        StudyCatalog.StudyInfo study = catalog.study(studyId)
                .orElseThrow(() -> new NotFound("no study " + studyId));
        List<String> flags = request.kind() == SessionKind.PARTICIPANT ? new ArrayList<>(request.ids().check(
                study.design().platform(), study.design().recruitment().platformStudyId())) : List.of();
        List<StudyItem> items = List.copyOf(catalog.items(study.id()).values());
        if (items.stream().noneMatch(i -> i.kind() == ItemKind.TRIAL)) {
            throw new Conflict("this study has no questions yet (see its problems on the study page)");
        }
        try (Connection c = dataSource.getConnection()) {
            Optional<Started> earlier = earlier(c, study, request);
            if (earlier.isPresent()) {
                return earlier.get();
            }
            if (request.kind() == SessionKind.PARTICIPANT && sessions(c, study.id()) >= limits.maxSessionsPerStudy()) {
                throw new Conflict("this study has all the participants it can take");
            }
            if (request.kind() == SessionKind.PARTICIPANT && sessionUsedBefore(c, study.id(), request.ids())) {
                flags.add(sessionName(request.ids()) + " already used by another participant");
            }
            Optional<Started> started = inserted(c, study, request, flags, items);
            if (started.isPresent()) {
                metrics.started(study.id(), request.kind());
                return started.get();
            }
            // the study closed meanwhile, or the same platform id started at the same moment and won: resume it,
            // or refuse as for a late comer
            return earlier(c, study, request).orElseThrow(() -> new Conflict(
                    "this study is not open for participants"));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start a session: " + e.getMessage(), e);
        }
    }

    /**
     * The study must be open (previews aside), and this person's earlier session is returned when it may be resumed:
     * only for the device that holds its secret, or for the same platform session (Prolific's SESSION_ID, MTurk's
     * assignmentId); anyone else who sends the same id is refused without its token. The earlier session is looked
     * up by platform id when the request has one, else by the device's secret.
     */
    private Optional<Started> earlier(Connection c, StudyCatalog.StudyInfo study, StartRequest request)
            throws SQLException {
        ExternalIds ids = request.ids();
        SessionKind kind = request.kind();
        String presentedSecret = request.resumeSecret() == null ? null : secretHash(request.resumeSecret());
        boolean byPlatformId = ids.externalId() != null;
        String sameIdentity = byPlatformId ? "existing.platform = ? AND existing.external_id = ?"
                : "existing.resume_secret_hash = ?";
        try (PreparedStatement check = c.prepareStatement(EnumSql.with("""
                SELECT (SELECT state FROM study WHERE id = ?) AS study_state, existing.token, existing.condition,
                       existing.resume_secret_hash, existing.external_session
                FROM (SELECT 1) one LEFT JOIN participant_session existing
                  ON existing.study_id = ? AND existing.kind = :participant AND ? AND %s
                LIMIT 1""", SessionKind.PARTICIPANT).formatted(sameIdentity))) {
            check.setLong(1, study.id());
            check.setLong(2, study.id());
            check.setBoolean(3, kind == SessionKind.PARTICIPANT);
            if (byPlatformId) {
                check.setString(4, ids.platform());
                check.setString(5, ids.externalId());
            } else {
                check.setString(4, presentedSecret);
            }
            try (ResultSet row = check.executeQuery()) {
                row.next();
                String state = row.getString("study_state");
                if (kind != SessionKind.PREVIEW && !StudyState.OPEN.key().equals(state)) {
                    throw new Conflict("this study is not open for participants (it is " + state + ")");
                }
                if (row.getString("token") == null) {
                    return Optional.empty();
                }
                boolean sameDevice = presentedSecret != null
                        && presentedSecret.equals(row.getString("resume_secret_hash"));
                boolean samePlatformSession = ids.externalSession() != null
                        && ids.externalSession().equals(row.getString("external_session"));
                if (!sameDevice && !samePlatformSession) {
                    throw new Conflict("this id has already started the study on another device: "
                            + "continue there, or contact the researcher");
                }
                return Optional.of(new Started(row.getString("token"),
                        Condition.byKey(row.getString("condition")).orElseThrow(),
                        true, null));
            }
        }
    }

    private static long sessions(Connection c, long studyId) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(
                EnumSql.with("SELECT count(*) AS sessions FROM participant_session "
                        + "WHERE study_id = ? AND kind = :participant",
                        SessionKind.PARTICIPANT))) {
            query.setLong(1, studyId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong("sessions");
            }
        }
    }

    /** A platform session (one person's one try on the platform) that another id has brought before. */
    private static boolean sessionUsedBefore(Connection c, long studyId, ExternalIds ids) throws SQLException {
        if (ids.externalSession() == null) {
            return false;
        }
        try (PreparedStatement query = c.prepareStatement(EnumSql.with("""
                SELECT EXISTS (SELECT 1 FROM participant_session WHERE study_id = ? AND kind = :participant
                               AND platform = ? AND external_session = ?) AS used""", SessionKind.PARTICIPANT))) {
            query.setLong(1, studyId);
            query.setString(2, ids.platform());
            query.setString(3, ids.externalSession());
            try (ResultSet row = query.executeQuery()) {
                return row.next() && row.getBoolean("used");
            }
        }
    }

    private static String sessionName(ExternalIds ids) {
        return switch (ids.platform()) {
            case "prolific" -> "SESSION_ID";
            case "mturk" -> "assignmentId";
            default -> "the platform session";
        };
    }

    /**
     * The session, its count and its plan in one statement (a transaction of its own); empty when the study is no
     * longer open (previews aside) or the same platform id was inserted first by a concurrent start.
     */
    private Optional<Started> inserted(Connection c, StudyCatalog.StudyInfo study, StartRequest request,
            List<String> flags, List<StudyItem> items) throws SQLException {
        ExternalIds ids = request.ids();
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
        String[] conditions = study.design().conditionList().stream().map(Condition::key).toArray(String[]::new);
        try (PreparedStatement start = c.prepareStatement(
                "SELECT start_session(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) AS condition")) {
            start.setLong(1, study.id());
            start.setString(2, request.kind().key());
            start.setArray(3, c.createArrayOf("text", conditions));
            start.setString(4, request.kind() == SessionKind.PREVIEW ? request.previewCondition().key() : null);
            start.setDouble(5, ThreadLocalRandom.current().nextDouble());
            start.setString(6, token);
            start.setString(7, ids.platform());
            start.setString(8, ids.externalId());
            start.setString(9, ids.externalStudy());
            start.setString(10, ids.externalSession());
            start.setLong(11, seed);
            String userAgent = request.userAgent();
            start.setString(12, userAgent == null ? null : userAgent.substring(0, Math.min(500, userAgent.length())));
            start.setString(13, secretHash(resumeSecret));
            start.setString(14, flags.isEmpty() ? null : String.join(", ", flags));
            start.setArray(15, c.createArrayOf("int4", positions));
            start.setArray(16, c.createArrayOf("int8", itemIds));
            start.setArray(17, c.createArrayOf("bool", mirrored));
            try (ResultSet row = start.executeQuery()) {
                row.next();
                String condition = row.getString("condition");
                return condition == null ? Optional.empty() : Optional.of(new Started(token,
                        Condition.byKey(condition).orElseThrow(), false, resumeSecret));
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
