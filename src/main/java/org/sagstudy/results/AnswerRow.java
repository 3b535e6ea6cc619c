package org.sagstudy.results;

import java.time.OffsetDateTime;
import org.sagstudy.study.ItemKind;
import org.sagstudy.study.SessionKind;

/** One answer with its item, participant and explanation: a row of answers.csv. */
public record AnswerRow(long participant, String condition, SessionKind sessionKind, String platform,
        String externalId, long itemId, ItemKind itemKind, String itemSource, long imageId, String imageFile, String label, int trialIndex,
        String leftPatches, String rightPatches, double leftConfidence, double rightConfidence, String correctSide,
        boolean mirrored, String chosenSide, String chosenItemSide, boolean correct, Integer confidenceRating,
        OffsetDateTime shownAt, OffsetDateTime clientTime, OffsetDateTime serverTime, Integer clientResponseMs,
        Long serverResponseMs, boolean leftInSag, boolean rightInSag, String modelSha256, long explanationId,
        String explanationParameters) {

    public double gap() {
        return Math.abs(leftConfidence - rightConfidence);
    }

    /** The client's measure when it sent one, else the server's (question shown to answer stored). */
    public Long responseMs() {
        return clientResponseMs != null ? Long.valueOf(clientResponseMs) : serverResponseMs;
    }
}
