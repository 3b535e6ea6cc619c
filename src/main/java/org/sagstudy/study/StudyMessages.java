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

    @Message
    String comprehension_heat_map();

    @Message
    String comprehension_heat_map_a();

    @Message
    String comprehension_heat_map_b();

    @Message
    String comprehension_heat_map_c();

    @Message
    String comprehension_heat_map_why();

    @Message
    String comprehension_sag();

    @Message
    String comprehension_sag_a();

    @Message
    String comprehension_sag_b();

    @Message
    String comprehension_sag_c();

    @Message
    String comprehension_sag_why();

    @Message
    String comprehension_none();

    @Message
    String comprehension_none_a();

    @Message
    String comprehension_none_b();

    @Message
    String comprehension_none_c();

    @Message
    String comprehension_none_why();

    @Message
    String comprehension_missing();

    @Message
    String comprehension_wrong(String why);
}
