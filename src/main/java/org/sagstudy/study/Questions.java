package org.sagstudy.study;

import jakarta.enterprise.context.ApplicationScoped;
import org.sagstudy.problem.NotFound;

/** What a participant is asked next, and what an asked question's explanation shows, as the JSON API gives them. */
@ApplicationScoped
public class Questions {

    private final Answering answering;
    private final StudyCatalog catalog;
    private final StudyPictures pictures;
    private final StudyMessages messages;
    private final CompletionCodes completionCodes;

    public Questions(Answering answering, StudyCatalog catalog, StudyPictures pictures, StudyMessages messages,
            CompletionCodes completionCodes) {
        this.completionCodes = completionCodes;
        this.answering = answering;
        this.catalog = catalog;
        this.pictures = pictures;
        this.messages = messages;
    }

    /** The current question, marked as shown; {@code done} once every question is answered. */
    public QuestionView next(String token) {
        Answering.State state = answering.state(token, true);
        String condition = state.condition().key();
        if (state.current().isEmpty()) {
            CompletionCodes.Ending ending = completionCodes.ending(state.sessionId(),
                    catalog.existing(state.studyId()).design());
            return new QuestionView(condition, state.answered(), state.total(), true, ending.completionCode(),
                    ending.redirectUrl(), ending.screenedOut(), ending.screenOutCode(), null, null, null, null, null,
                    null, null, null, null);
        }
        Answering.Trial trial = state.current().get();
        StudyItem item = trial.item();
        int position = trial.position();
        return new QuestionView(condition, state.answered(), state.total(), false, null, null, null, null, position,
                item.id(),
                item.kind() == ItemKind.PRACTICE, item.shortLabel(), text(item), TrialLinks.photo(token, position),
                TrialLinks.explanation(token, position, state.condition()),
                TrialLinks.explanationData(token, position),
                new QuestionView.Options(option(token, trial, Side.LEFT), option(token, trial, Side.RIGHT)));
    }

    private static QuestionView.Option option(String token, Answering.Trial trial, Side side) {
        return new QuestionView.Option(TrialLinks.option(token, trial.position(), side),
                trial.item().patches(trial.itemSide(side)).toList());
    }

    /** The question participants read about an item. */
    public String text(StudyItem item) {
        return messages.question(item.shortLabel());
    }

    /** What the explanation of the question at {@code position} shows, as data. */
    public SeenExplanation seen(String token, int position) {
        Answering.State state = answering.state(token, false);
        Answering.Trial trial = answering.trialAt(token, position)
                .orElseThrow(() -> new NotFound("no such question"));
        return pictures.seen(trial.item(), state.condition(), catalog.existing(state.studyId()).design());
    }
}
