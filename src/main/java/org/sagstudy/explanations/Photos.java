package org.sagstudy.explanations;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stored photos, as the packages below {@code images} read them: {@code images} owns the {@code image} table and
 * implements this (as {@code study} implements {@code images.ImageUsage}), so nothing below it names that table.
 */
public interface Photos {

    /** What is known of a photo besides its bytes; the true class is null when unknown. */
    record PhotoFacts(long id, String fileName, String sha256, String trueWnid, String trueLabel) {
    }

    /** The photo's bytes as uploaded; empty when there is no such photo. */
    Optional<byte[]> bytes(long id);

    /** The facts of each of these photos that exists, by id. */
    Map<Long, PhotoFacts> facts(Collection<Long> ids);

    default Optional<PhotoFacts> facts(long id) {
        return Optional.ofNullable(facts(List.of(id)).get(id));
    }
}
