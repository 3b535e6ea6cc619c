package org.sagstudy.jobs;

import java.util.List;

/**
 * The parameters of a confidences job: masked images of an explanation's photo (patch sets as bit masks) whose
 * confidence the explanation does not know yet, masked with the explanation's baseline.
 */
public record ConfidenceRequest(String baseline, List<Long> sets) {
}
