package org.sagstudy.study;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.sagstudy.http.Picture;
import org.sagstudy.problem.NotFound;

/** The pictures of the instructions' worked example, as the session's condition shows it. */
@Path("/p/{token}/example")
public class ExamplePictures {

    private final Answering answering;
    private final StudyCatalog catalog;
    private final StudyPictures pictures;

    public ExamplePictures(Answering answering, StudyCatalog catalog, StudyPictures pictures) {
        this.answering = answering;
        this.catalog = catalog;
        this.pictures = pictures;
    }

    @GET
    @Path("/{name:left|right|photo}.png")
    @Produces("image/png")
    public Response option(@PathParam("token") String token, @PathParam("name") String name) {
        Answering.State state = answering.state(token, false);
        StudyDesign design = catalog.existing(state.studyId()).design();
        StudyItem item = example(state);
        return Picture.response(StudyPictures.KEPT_BY_BROWSER, name.equals("photo") ? pictures.wholePhoto(item, design)
                : pictures.option(item, Side.byKey(name).orElseThrow(), design));
    }

    @GET
    @Path("/explanation.{extension:png|svg}")
    @Produces({"image/png", "image/svg+xml"})
    public Response explanation(@PathParam("token") String token) {
        Answering.State state = answering.state(token, false);
        return Picture.response(StudyPictures.KEPT_BY_BROWSER, pictures.explanation(example(state), state.condition(),
                catalog.existing(state.studyId()).design()));
    }

    private StudyItem example(Answering.State state) {
        return catalog.example(state.studyId())
                .orElseThrow(() -> new NotFound("this study has no worked example"));
    }
}
