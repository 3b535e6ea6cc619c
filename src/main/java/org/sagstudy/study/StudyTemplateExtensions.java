package org.sagstudy.study;

import io.quarkus.qute.TemplateExtension;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the experimenter's pages print study values. */
@TemplateExtension
public final class StudyTemplateExtensions {

    private StudyTemplateExtensions() {
    }

    /** A probability as a percentage with one decimal: 0.8123 gives "81.2%". */
    static String percent(double probability) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * probability);
    }

    /** Which options are nodes of the SAG shown: "L", "R", "LR" or "". */
    static String inSag(StudyItem item) {
        return (item.leftInSag() ? "L" : "") + (item.rightInSag() ? "R" : "");
    }

    /** Participants per condition as "completed/started", for the list of studies. */
    static String participantCounts(StudyEditor.StudySummary study) {
        return study.participants().stream().map(c -> c.condition() + " " + c.completed() + "/" + c.started())
                .collect(Collectors.joining(", "));
    }
}
