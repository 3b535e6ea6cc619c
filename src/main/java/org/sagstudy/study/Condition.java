package org.sagstudy.study;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.sagstudy.explain.HeatMap;

/** What a participant sees of the classifier's reasoning before each question (between subjects). */
public enum Condition {
    GRADCAM("gradcam", "Grad-CAM heat map"),
    IGOS("igos", "I-GOS heat map"),
    SAG("sag", "Structured Attention Graph"),
    NONE("none", "no explanation (control)");

    private final String key;
    private final String title;

    Condition(String key, String title) {
        this.key = key;
        this.title = title;
    }

    public String key() {
        return key;
    }

    public String title() {
        return title;
    }

    public boolean isHeatMap() {
        return this == GRADCAM || this == IGOS;
    }

    /** The heat map a heat-map condition shows. */
    public HeatMap.Kind heatMapKind() {
        return switch (this) {
            case GRADCAM -> HeatMap.Kind.GRADCAM;
            case IGOS -> HeatMap.Kind.IGOS;
            case SAG, NONE -> throw new IllegalStateException(key + " shows no heat map");
        };
    }

    /** How participants are told to read this condition's explanation (the pre-registration quotes it). */
    public String guidance(StudyMessages messages) {
        return switch (this) {
            case GRADCAM, IGOS -> messages.guidance_heat_map();
            case SAG -> messages.guidance_sag();
            case NONE -> messages.guidance_none();
        };
    }

    public static Optional<Condition> byKey(String key) {
        String wanted = key == null ? "" : key.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(c -> c.key.equals(wanted)).findFirst();
    }
}
