package org.sagstudy.study;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.sagstudy.database.EnumSql;
import org.sagstudy.http.ServerSecret;

/**
 * What a finished session is given to claim its payment. Every session has a code of its own (the design's prefix and
 * a keyed hash of the session): a code copied from someone else, or made up, matches no session, and the experimenter
 * reconciles the platform's submissions with {@code participants.csv}. Only a session that counts under the registered
 * exclusion rules sees its code; the others (failed attention checks, too fast, flagged ids) are screened out: they see
 * the design's screen-out code when it sets one, else a request to contact the researcher. The study's rules, not this
 * server, decide on pay: Prolific lets a finished submission be rejected only for failed attention checks or
 * exceptionally fast work, so a screened-out session is for the experimenter to review, not to reject unseen.
 */
@ApplicationScoped
public class CompletionCodes {

    /** How a finished session ends: its code (null when screened out) and where to send the participant. */
    public record Ending(String completionCode, String screenOutCode, String redirectUrl, boolean screenedOut) {
    }

    private record Answers(String flags, SessionKind kind, int attentionFailed, Double medianResponseMs) {
    }

    private static final RowMapper<Answers> ANSWERS_ROW = ConstructorMapper.of(Answers.class);

    private static final int CODE_CHARACTERS = 10;
    private final Jdbi jdbi;
    private final ServerSecret secret;

    public CompletionCodes(Jdbi jdbi, ServerSecret secret) {
        this.jdbi = jdbi;
        this.secret = secret;
    }

    /** The session's code: the design's prefix (when set), a dash and 10 characters of a keyed hash. */
    public String code(StudyDesign design, long sessionId) {
        String hash = secret.hmac("completion-code", Long.toString(sessionId)).substring(0, CODE_CHARACTERS)
                .toUpperCase(Locale.ROOT);
        String prefix = design.completionCode() == null ? "" : design.completionCode().trim();
        return prefix.isEmpty() ? hash : prefix + "-" + hash;
    }

    /** The ending of a session whose questions are all answered. */
    public Ending ending(long sessionId, StudyDesign design) {
        if (breaksRules(sessionId, design.exclusions())) {
            String screenOut = design.recruitment().screenOutCode();
            return new Ending(null, screenOut.isEmpty() ? null : screenOut, null, true);
        }
        String code = code(design, sessionId);
        String redirect = design.redirectUrl() == null || design.redirectUrl().isBlank() ? null
                : design.redirectUrl().replace("{code}", code);
        return new Ending(code, null, redirect, false);
    }

    /**
     * The registered rules as the results apply them ({@link StudyDesign.Exclusions#broken}) to a finished session:
     * more failed attention checks than allowed, a median server-measured response time below the minimum, or a flag.
     */
    private boolean breaksRules(long sessionId, StudyDesign.Exclusions rules) {
        return jdbi.withHandle(handle -> handle.createQuery(EnumSql.with("""
                SELECT s.flags, s.kind,
                       count(*) FILTER (WHERE i.kind = :attention AND NOT a.correct) AS attention_failed,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY a.response_ms) FILTER (WHERE i.kind <> :practice)
                           AS median_response_ms
                FROM participant_session s
                LEFT JOIN answer a ON a.session_id = s.id
                LEFT JOIN study_item i ON i.id = a.item_id
                WHERE s.id = :sessionId GROUP BY s.id""", ItemKind.ATTENTION, ItemKind.PRACTICE))
                .bind("sessionId", sessionId).map(ANSWERS_ROW).findOne())
                .filter(answers -> answers.kind() == SessionKind.PARTICIPANT)
                .map(answers -> !rules.broken(true, answers.attentionFailed(), answers.medianResponseMs(),
                        answers.flags()).isEmpty())
                .orElse(false);
    }
}
