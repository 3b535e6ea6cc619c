package org.sagstudy.study;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * What participants read besides the experimenter's own texts; the wording is in
 * {@code src/main/resources/messages/study_en.properties}. Templates use it as {@code study:key}.
 */
@MessageBundle(value = "study", locale = "en")
public interface StudyMessages {

    @Message
    String question(String label);

    @Message
    String sag_title(String label);

    @Message
    String alt_heat_map();

    @Message
    String alt_sag();

    @Message
    String alt_photo();

    @Message
    String guidance_heat_map();

    @Message
    String guidance_sag();

    @Message
    String guidance_none();

    @Message
    String example_answer(String side, long leftPercent, long rightPercent);
}
