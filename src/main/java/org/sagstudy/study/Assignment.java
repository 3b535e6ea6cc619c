package org.sagstudy.study;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
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

    private record Earlier(String studyState, String token, String condition, String resumeSecretHash,
            String externalSession) {
    }

    private static final RowMapper<Earlier> EARLIER_ROW = ConstructorMapper.of(Earlier.class);

    private final SecureRandom random = new SecureRandom();
    private final Jdbi jdbi;
    private final StudyCatalog catalog;
    private final StudyMetrics metrics;
    private final StartLimits.Config limits;

    public Assignment(Jdbi jdbi, StudyCatalog catalog, StudyMetrics metrics, StartLimits.Config limits) {
        this.limits = limits;
        this.jdbi = jdbi;
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
        return jdbi.withHandle(handle -> {
            Optional<Started> earlier = earlier(handle, study, request);
            if (earlier.isPresent()) {
                return earlier.get();
            }
            if (request.kind() == SessionKind.PARTICIPANT
                    && sessions(handle, study.id()) >= limits.maxSessionsPerStudy()) {
                throw new Conflict("this study has all the participants it can take");
            }
            if (request.kind() == SessionKind.PARTICIPANT && sessionUsedBefore(handle, study.id(), request.ids())) {
                flags.add(sessionName(request.ids()) + " already used by another participant");
            }
            Optional<Started> started = inserted(handle, study, request, flags, items);
            if (started.isPresent()) {
                metrics.started(study.id(), request.kind());
                return started.get();
            }
            // the study closed meanwhile, or the same platform id started at the same moment and won: resume it,
            // or refuse as for a late comer
            return earlier(handle, study, request).orElseThrow(() -> new Conflict(
                    "this study is not open for participants"));
        });
    }

    /**
     * The study must be open (previews aside), and this person's earlier session is returned when it may be resumed:
     * only for the device that holds its secret, or for the same platform session (Prolific's SESSION_ID, MTurk's
     * assignmentId); anyone else who sends the same id is refused without its token. The earlier session is looked
     * up by platform id when the request has one, else by the device's secret.
     */
    private Optional<Started> earlier(Handle handle, StudyCatalog.StudyInfo study, StartRequest request) {
        ExternalIds ids = request.ids();
        SessionKind kind = request.kind();
        String presentedSecret = request.resumeSecret() == null ? null : secretHash(request.resumeSecret());
        boolean byPlatformId = ids.externalId() != null;
        String sameIdentity = byPlatformId ? "existing.platform = :platform AND existing.external_id = :externalId"
                : "existing.resume_secret_hash = :secretHash";
        var query = handle.createQuery(EnumSql.with("""
                SELECT (SELECT state FROM study WHERE id = :studyId) AS study_state, existing.token,
                       existing.condition, existing.resume_secret_hash, existing.external_session
                FROM (SELECT 1) one LEFT JOIN participant_session existing
                  ON existing.study_id = :studyId AND existing.kind = :participant AND :participantKind AND %s
                LIMIT 1""", SessionKind.PARTICIPANT).formatted(sameIdentity)).bind("studyId", study.id())
                .bind("participantKind", kind == SessionKind.PARTICIPANT);
        if (byPlatformId) {
            query.bind("platform", ids.platform()).bind("externalId", ids.externalId());
        } else {
            query.bind("secretHash", presentedSecret);
        }
        Earlier row = query.map(EARLIER_ROW).one();
        if (kind != SessionKind.PREVIEW && !StudyState.OPEN.key().equals(row.studyState())) {
            throw new Conflict("this study is not open for participants (it is " + row.studyState() + ")");
        }
        if (row.token() == null) {
            return Optional.empty();
        }
        boolean sameDevice = presentedSecret != null && presentedSecret.equals(row.resumeSecretHash());
        boolean samePlatformSession = ids.externalSession() != null
                && ids.externalSession().equals(row.externalSession());
        if (!sameDevice && !samePlatformSession) {
            throw new Conflict("this id has already started the study on another device: "
                    + "continue there, or contact the researcher");
        }
        return Optional.of(new Started(row.token(), Condition.byKey(row.condition()).orElseThrow(), true, null));
    }

    private static long sessions(Handle handle, long studyId) {
        return handle.createQuery(EnumSql.with("""
                SELECT count(*) FROM participant_session WHERE study_id = :studyId AND kind = :participant""",
                SessionKind.PARTICIPANT)).bind("studyId", studyId).mapTo(Long.class).one();
    }

    /** A platform session (one person's one try on the platform) that another id has brought before. */
    private static boolean sessionUsedBefore(Handle handle, long studyId, ExternalIds ids) {
        if (ids.externalSession() == null) {
            return false;
        }
        return handle.createQuery(EnumSql.with("""
                SELECT EXISTS (SELECT 1 FROM participant_session WHERE study_id = :studyId AND kind = :participant
                               AND platform = :platform AND external_session = :externalSession)""",
                SessionKind.PARTICIPANT)).bind("studyId", studyId).bind("platform", ids.platform())
                .bind("externalSession", ids.externalSession()).mapTo(Boolean.class).one();
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
    private Optional<Started> inserted(Handle handle, StudyCatalog.StudyInfo study, StartRequest request,
            List<String> flags, List<StudyItem> items) {
        ExternalIds ids = request.ids();
        long seed = random.nextLong();
        String token = randomText(24);
        String resumeSecret = randomText(32);
        List<SessionPlan.Trial> plan = SessionPlan.draw(items, seed);
        String userAgent = request.userAgent();
        Optional<String> condition = handle.createQuery("""
                SELECT start_session(
                    p_study_id => :studyId, p_kind => CAST(:kind AS text),
                    p_conditions => CAST(:conditions AS text[]), p_preview_condition => CAST(:previewCondition AS text),
                    p_tie => :tie, p_token => CAST(:token AS text), p_platform => CAST(:platform AS text),
                    p_external_id => CAST(:externalId AS text), p_external_study => CAST(:externalStudy AS text),
                    p_external_session => CAST(:externalSession AS text), p_seed => :seed,
                    p_user_agent => CAST(:userAgent AS text), p_resume_secret_hash => CAST(:secretHash AS text),
                    p_flags => CAST(:flags AS text), p_positions => CAST(:positions AS integer[]),
                    p_item_ids => CAST(:itemIds AS bigint[]), p_mirrored => CAST(:mirrored AS boolean[]))""")
                .bind("studyId", study.id()).bind("kind", request.kind())
                .bind("conditions", study.design().conditionList().stream().map(Condition::key)
                        .toArray(String[]::new))
                .bind("previewCondition", request.kind() == SessionKind.PREVIEW ? request.previewCondition() : null)
                .bind("tie", ThreadLocalRandom.current().nextDouble()).bind("token", token)
                .bind("platform", ids.platform()).bind("externalId", ids.externalId())
                .bind("externalStudy", ids.externalStudy()).bind("externalSession", ids.externalSession())
                .bind("seed", seed)
                .bind("userAgent", userAgent == null ? null : userAgent.substring(0, Math.min(500, userAgent.length())))
                .bind("secretHash", secretHash(resumeSecret))
                .bind("flags", flags.isEmpty() ? null : String.join(", ", flags))
                .bind("positions", IntStream.range(0, plan.size()).boxed().toArray(Integer[]::new))
                .bind("itemIds", plan.stream().map(SessionPlan.Trial::itemId).toArray(Long[]::new))
                .bind("mirrored", plan.stream().map(SessionPlan.Trial::mirrored).toArray(Boolean[]::new))
                .mapTo(String.class).findOne();
        return condition.map(key -> new Started(token, Condition.byKey(key).orElseThrow(), false, resumeSecret));
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
