package org.sagstudy.study;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What an operator watches during a launch (Prometheus names): {@code sag_participants_started_total{study}},
 * {@code sag_participants_completed_total{study}} and {@code sag_answers_total} (its rate is answers per second).
 * Previews are not counted. Request latency per route comes from Quarkus ({@code http_server_requests_seconds}).
 */
@ApplicationScoped
public class StudyMetrics {

    private final MeterRegistry registry;

    public StudyMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void started(long studyId, SessionKind kind) {
        if (kind != SessionKind.PREVIEW) {
            registry.counter("sag.participants.started", "study", Long.toString(studyId), "kind", kind.key())
                    .increment();
        }
    }

    void answered(long studyId, boolean completed) {
        registry.counter("sag.answers").increment();
        if (completed) {
            registry.counter("sag.participants.completed", "study", Long.toString(studyId)).increment();
        }
    }
}
