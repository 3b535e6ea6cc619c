package org.sagstudy.study;

import java.time.OffsetDateTime;

/**
 * One answer with its item, participant and explanation: a row of answers.csv. {@code responseMs} is what the
 * exclusion rules read: the server's measure (simulated sessions: the pace they declare).
 */
public record AnswerRow(long participant, String condition, SessionKind sessionKind, String platform,
        String externalId, long itemId, ItemKind itemKind, String questionKind, long imageId, String imageFile,
        String label, int trialIndex, String leftPatches, String rightPatches, double leftConfidence, double rightConfidence, String correctSide,
        boolean mirrored, String chosenSide, String chosenItemSide, boolean correct, Integer confidenceRating,
        OffsetDateTime shownAt, OffsetDateTime clientTime, OffsetDateTime serverTime, Integer clientResponseMs,
        Long serverResponseMs, boolean leftInSag, boolean rightInSag, String modelSha256, long explanationId,
        String explanationParameters, Integer responseMs) {

    public double gap() {
        return Math.abs(leftConfidence - rightConfidence);
    }
}
