package org.sagstudy.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** Dealing question kinds to photos: spread where possible, complete where the photos allow. */
class KindAssignmentTest {

    @Test
    void aKindFewPhotosOfferIsLeftToThem() {
        // kinds A, B, C wanted 1, 1, 2; photo 0 offers all three, photo 1 only C. Dealing in turn gives photo 0 the
        // most wanted kind C first and leaves B unbuilt; the flow moves photo 0 to A and B and gives photo 1 both C.
        int[][] counts = KindAssignment.assign(new int[][] {{5, 5, 5}, {0, 0, 5}}, new int[] {1, 1, 2}, 2);
        assertArrayEquals(new int[] {1, 1, 0}, counts[0]);
        assertArrayEquals(new int[] {0, 0, 2}, counts[1]);
    }

    @Test
    void kindsSpreadOverPhotosThatOfferAll() {
        int[][] counts = KindAssignment.assign(new int[][] {{9, 9}, {9, 9}}, new int[] {2, 2}, 2);
        assertArrayEquals(new int[] {1, 1}, counts[0]);
        assertArrayEquals(new int[] {1, 1}, counts[1]);
    }

    @Test
    void aPhotoGivesNoMoreOfAKindThanItsPairsAndShortfallsStay() {
        // one pair of A per photo, three A wanted: two are possible
        int[][] counts = KindAssignment.assign(new int[][] {{1, 0}, {1, 0}}, new int[] {3, 1}, 2);
        assertArrayEquals(new int[] {1, 0}, counts[0]);
        assertArrayEquals(new int[] {1, 0}, counts[1]);
    }
}
