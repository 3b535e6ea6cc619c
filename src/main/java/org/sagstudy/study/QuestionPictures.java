package org.sagstudy.study;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.sagstudy.http.Picture;
import org.sagstudy.problem.NotFound;

/**
 * The pictures of a session's question at a position: its two options, the whole photo, and the explanation (as a
 * picture, or as data for scripts). Named by session and position only, so nothing in them gives the answer away.
 */
@Path("/p/{token}/trials/{position}")
public class QuestionPictures {

    private final Answering answering;
    private final Questions questions;
    private final StudyCatalog catalog;
    private final StudyPictures pictures;

    public QuestionPictures(Answering answering, Questions questions, StudyCatalog catalog, StudyPictures pictures) {
        this.answering = answering;
        this.questions = questions;
        this.catalog = catalog;
        this.pictures = pictures;
    }

    @GET
    @Path("/{name:left|right|photo}.png")
    @Produces("image/png")
    public Response option(@PathParam("token") String token, @PathParam("position") int position,
            @PathParam("name") String name) {
        Answering.State state = answering.state(token, false);
        StudyDesign design = catalog.existing(state.studyId()).design();
        Answering.Trial trial = trial(token, position);
        return Picture.response(StudyPictures.KEPT_BY_BROWSER, name.equals("photo") ? pictures.wholePhoto(trial.item(), design)
                : pictures.option(trial.item(), trial.itemSide(Side.byKey(name).orElseThrow()), design));
    }

    @GET
    @Path("/explanation.{extension:png|svg}")
    @Produces({"image/png", "image/svg+xml"})
    public Response explanation(@PathParam("token") String token, @PathParam("position") int position) {
        Answering.State state = answering.state(token, false);
        Answering.Trial trial = trial(token, position);
        return Picture.response(StudyPictures.KEPT_BY_BROWSER, pictures.explanation(trial.item(), state.condition(),
                catalog.existing(state.studyId()).design()));
    }

    /** The explanation as data (what its picture shows). */
    @GET
    @Path("/explanation.json")
    @Produces(MediaType.APPLICATION_JSON)
    public SeenExplanation explanationData(@PathParam("token") String token, @PathParam("position") int position) {
        return questions.seen(token, position);
    }

    private Answering.Trial trial(String token, int position) {
        return answering.trialAt(token, position).orElseThrow(() -> new NotFound("no such question"));
    }
}
